import { keyGuard } from "../../access/keys/key-guard.js";
import type { KeyVerifier } from "../../access/keys/key-verifier.js";
import { documentArea } from "../../platform/http/api-areas.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import type { WebhookPolicy } from "../webhooks/webhook-policy.js";
import { registerCommentRoutes } from "./comment-routes.js";
import { registerHookRoutes } from "./hook-routes.js";
import { registerIdeaRoutes } from "./idea-routes.js";
import { registerVoteRoutes } from "./vote-routes.js";

/**
 * The Feedback API (`/api/v1/ideas…`, `/api/v1/hooks…`), in its own context so its key guard covers every route of it and
 * nothing else. The guard runs at onRequest, before the body is read or validated: a caller without the right
 * key learns about the key, never about the shape of what it sent.
 */
export function registerFeedbackApi(
  app: CairnApp,
  deps: { metadata: MetadataStore; verifier: KeyVerifier; webhookPolicy: WebhookPolicy },
): void {
  app.register(async (feedback: CairnApp) => {
    documentArea(feedback, "feedback");
    feedback.addHook("onRequest", keyGuard(deps.verifier, deps.metadata, "feedback"));
    registerIdeaRoutes(feedback, deps);
    registerVoteRoutes(feedback, deps);
    registerCommentRoutes(feedback, deps);
    registerHookRoutes(feedback, deps);
  });
}
