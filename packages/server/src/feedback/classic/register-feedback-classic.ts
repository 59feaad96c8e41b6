import { Type } from "@sinclair/typebox";
import { sql } from "kysely";
import { keyGuard } from "../../access/keys/key-guard.js";
import type { KeyVerifier } from "../../access/keys/key-verifier.js";
import { documentArea } from "../../platform/http/api-areas.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import type { WebhookPolicy } from "../webhooks/webhook-policy.js";
import { registerCommentRoutes } from "./comment-routes.js";
import { registerFeatureRoutes } from "./feature-routes.js";
import { registerHookRoutes } from "./hook-routes.js";
import { registerTagRoutes } from "./tag-routes.js";
import { registerUserChangeRoutes } from "./user-change-routes.js";
import { registerUserRoutes } from "./user-routes.js";
import { registerVoteRoutes } from "./vote-routes.js";

/** Where Pendo's classic Feedback paths live: a client's base URL becomes `<public URL>/feedback`. */
export const feedbackClassicPrefix = "/feedback";

/**
 * Pendo's classic Feedback API (`api.feedback.us.pendo.io/<path>`) under `/feedback`, on Cairn's Feedback
 * services. The health check takes no key, as Pendo's; every other path is in a context of its own whose key
 * guard runs at onRequest, before the body is read, like /api/v1/ideas.
 */
export function registerFeedbackClassicApi(
  app: CairnApp,
  deps: { metadata: MetadataStore; verifier: KeyVerifier; webhookPolicy: WebhookPolicy },
): void {
  app.register(
    async (open: CairnApp) => {
      documentArea(open, "feedback");
      const ping = {
        summary: "Health check (no key)",
        security: [],
        querystring: Type.Object({}),
        response: {
          200: Type.Object({ status: Type.Literal("ok") }),
          503: Type.Object({ status: Type.Literal("unavailable") }),
        },
      };
      open.get("/health-check/ping", { schema: ping }, async (_request, reply) => {
        try {
          await sql`select 1`.execute(deps.metadata.db);
          return { status: "ok" as const };
        } catch {
          return reply.code(503).send({ status: "unavailable" as const });
        }
      });
    },
    { prefix: feedbackClassicPrefix },
  );
  app.register(
    async (feedback: CairnApp) => {
      documentArea(feedback, "feedback");
      feedback.addHook("onRequest", keyGuard(deps.verifier, deps.metadata, "feedback"));
      registerFeatureRoutes(feedback, deps);
      registerVoteRoutes(feedback, deps);
      registerUserRoutes(feedback, deps);
      registerUserChangeRoutes(feedback, deps);
      registerTagRoutes(feedback, deps);
      registerCommentRoutes(feedback, deps);
      registerHookRoutes(feedback, deps);
    },
    { prefix: feedbackClassicPrefix },
  );
}
