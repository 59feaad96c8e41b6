/**
 * `@cairn/client`: a typed client for Cairn's (and Pendo's) v1, Feedback and track APIs, its types generated from
 * the OpenAPI document Cairn serves at /api/docs/openapi.json.
 *
 * @example
 * import { createCairnClient } from "@cairn/client";
 * const cairn = createCairnClient({ baseUrl: "http://127.0.0.1:8080", integrationKey: process.env.CAIRN_KEY });
 * console.log(await cairn.verifyKey());
 */
export {
  type Account,
  type AgenticEvent,
  CairnApiError,
  type CairnClient,
  type CairnClientOptions,
  createCairnClient,
  type ErrorBody,
  type Idea,
  type IdeaPage,
  type IdeaQuery,
  type KeyCheck,
  type MetadataOutcome,
  type NewIdea,
  type TrackEvent,
  type Visitor,
  type VisitorMetadata,
} from "./cairn-client.js";
export type { components, paths } from "./generated/openapi.js";
