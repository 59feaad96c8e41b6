import createClient, { type Client } from "openapi-fetch";
import { CairnApiError, dataOf, type ErrorBody } from "./api-error.js";
import type { paths } from "./generated/openapi.js";

export { CairnApiError, type ErrorBody };

type Body<Path extends keyof paths, Method extends keyof paths[Path]> = paths[Path][Method] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;
type Json<
  Path extends keyof paths,
  Method extends keyof paths[Path],
  Status extends number,
> = paths[Path][Method] extends {
  responses: { [S in Status]: { content: { "application/json": infer R } } };
}
  ? R
  : never;

export type Visitor = Json<"/api/v1/visitor/{visitorId}", "get", 200>;
export type Account = Json<"/api/v1/account/{accountId}", "get", 200>;
export type KeyCheck = Json<"/api/v1/token/verify", "get", 200>;
export type TrackEvent = Body<"/data/track", "post">;
export type AgenticEvent = Body<"/data/agentic", "post">;
export type VisitorMetadata = Body<"/api/v1/metadata/visitor/{group}/value", "post">;
export type MetadataOutcome = Json<"/api/v1/metadata/visitor/{group}/value", "post", 200>;
export type NewIdea = Body<"/api/v1/ideas", "post">;
export type Idea = Json<"/api/v1/ideas", "post", 201>;
export type IdeaPage = Json<"/api/v1/ideas", "get", 200>;
export type IdeaQuery = NonNullable<paths["/api/v1/ideas"]["get"]["parameters"]["query"]>;
export type AggregationRequest = Body<"/api/v1/aggregation", "post">;
export type AggregationAnswer = Json<"/api/v1/aggregation", "post", 200>;

export interface CairnClientOptions {
  /** Where Cairn answers, e.g. `https://cairn.example.com`; for Pendo, `https://app.pendo.io` (v1 and track). */
  readonly baseUrl: string;
  /** For the v1 API (`x-pendo-integration-key`). */
  readonly integrationKey?: string;
  /** For the Feedback API (sent in `x-pendo-integration-key`; Pendo's classic paths also take `auth-token`). */
  readonly feedbackKey?: string;
  /** The app's track event secret, for `POST /data/track` and `POST /data/agentic`. */
  readonly trackSecret?: string;
  /** A fetch of your own (tests, proxies); the global one otherwise. */
  readonly fetch?: typeof fetch;
}

function keyed(key: string | undefined, options: CairnClientOptions): Client<paths> {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    headers: key === undefined ? {} : { "x-pendo-integration-key": key },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/**
 * A typed client for Cairn's v1, Feedback and track APIs, whose paths are Pendo's: the same client works against
 * Pendo with its base URL and keys. `v1`, `feedback` and `track` are openapi-fetch clients (`GET`, `POST`, …
 * typed by path) each sending its own key; the methods beside them are shortcuts that throw a CairnApiError.
 *
 * @example
 * const cairn = createCairnClient({ baseUrl: "http://127.0.0.1:8080", integrationKey, trackSecret });
 * await cairn.trackEvent({ type: "track", event: "Signed up", visitorId: "v1", timestamp: Date.now() });
 * const visitor = await cairn.visitor("v1");
 * const { data, error } = await cairn.v1.GET("/api/v1/account/{accountId}", { params: { path: { accountId: "a1" } } });
 */
export function createCairnClient(options: CairnClientOptions) {
  const v1 = keyed(options.integrationKey, options);
  const feedback = keyed(options.feedbackKey, options);
  const track = keyed(options.trackSecret, options);

  return {
    v1,
    feedback,
    track,

    /** `GET /api/v1/token/verify`: the integration key's id, kind and scope, or a CairnApiError saying why not. */
    verifyKey: (): Promise<KeyCheck> => dataOf(v1.GET("/api/v1/token/verify")),

    /** `GET /api/v1/visitor/{visitorId}`: the visitor and their metadata groups. */
    visitor: (visitorId: string): Promise<Visitor> =>
      dataOf(v1.GET("/api/v1/visitor/{visitorId}", { params: { path: { visitorId } } })),

    /** `GET /api/v1/account/{accountId}`. */
    account: (accountId: string): Promise<Account> =>
      dataOf(v1.GET("/api/v1/account/{accountId}", { params: { path: { accountId } } })),

    /** `POST /api/v1/metadata/visitor/custom/value`: sets custom fields; `create` makes unknown visitors. */
    setVisitorMetadata: (
      entries: VisitorMetadata,
      settings: { create?: boolean } = {},
    ): Promise<MetadataOutcome> =>
      dataOf(
        v1.POST("/api/v1/metadata/visitor/{group}/value", {
          params: { path: { group: "custom" }, query: settings.create ? { create: true } : {} },
          body: entries,
        }),
      ),

    /** `POST /data/track` with the track secret; resolves once the event is stored. */
    trackEvent: async (event: TrackEvent): Promise<void> => {
      await dataOf(track.POST("/data/track", { body: event, parseAs: "text" }));
    },

    /** `POST /data/agentic` with the track secret: one AI agent conversation event; resolves once it is stored. */
    agenticEvent: async (event: AgenticEvent): Promise<void> => {
      await dataOf(track.POST("/data/agentic", { body: event, parseAs: "text" }));
    },

    /**
     * `POST /api/v1/aggregation`: runs an aggregation pipeline (read-only keys may), `{startTime, results}`.
     * A pipeline alone is wrapped in Pendo's envelope.
     */
    aggregate: (request: AggregationRequest | unknown[]): Promise<AggregationAnswer> =>
      dataOf(
        v1.POST("/api/v1/aggregation", {
          body: Array.isArray(request)
            ? { response: { mimeType: "application/json" }, request: { pipeline: request } }
            : request,
        }),
      ),

    /** `POST /api/v1/ideas` with the Feedback key. */
    createIdea: (idea: NewIdea): Promise<Idea> => dataOf(feedback.POST("/api/v1/ideas", { body: idea })),

    /** `GET /api/v1/ideas`: one page of ideas, newest first unless ordered otherwise. */
    listIdeas: (query: IdeaQuery = {}): Promise<IdeaPage> =>
      dataOf(feedback.GET("/api/v1/ideas", { params: { query } })),
  };
}

export type CairnClient = ReturnType<typeof createCairnClient>;
