import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { getTags, setTags, type TagTarget } from "../ideas/tag-service.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import { tagsBody } from "./classic-change-schemas.js";
import { idParams, noQuery } from "./classic-schemas.js";

const tagPaths: ReadonlyArray<readonly [string, TagTarget]> = [
  ["/features/:id/tags", "feature"],
  ["/users/:id/tags", "user"],
  ["/accounts/:id/tags", "account"],
];

/**
 * The custom tags of features, end users and accounts, by Cairn's id: GET answers them as given, POST
 * replaces them all with its body (a bare array), DELETE removes them all (as Pendo's does; it names none).
 */
export function registerTagRoutes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;

  for (const [path, target] of tagPaths) {
    app.get(path, { schema: { params: idParams, querystring: noQuery } }, async (request) =>
      getTags(db, feedbackCallerOf(request), target, request.params.id),
    );

    app.post(path, { schema: { params: idParams, body: tagsBody, querystring: noQuery } }, async (request) =>
      setTags(db, feedbackCallerOf(request), target, request.params.id, request.body),
    );

    app.delete(path, { schema: { params: idParams, querystring: noQuery } }, async (request) =>
      setTags(db, feedbackCallerOf(request), target, request.params.id, []),
    );
  }
}
