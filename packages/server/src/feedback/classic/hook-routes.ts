import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import { removedHooks } from "../v1/hook-schemas.js";
import { createHook, unsubscribeUrl } from "../webhooks/hook-service.js";
import type { WebhookPolicy } from "../webhooks/webhook-policy.js";
import { noQuery, subscribeBody, unsubscribeBody } from "./classic-schemas.js";
import { classicHookMaybeWithSecret, toHook } from "./classic-shapes.js";

/** Pendo's webhook subscribe and unsubscribe: the same hooks as /api/v1/hooks. */
export function registerHookRoutes(
  app: CairnApp,
  deps: { metadata: MetadataStore; webhookPolicy: WebhookPolicy },
): void {
  const db = deps.metadata.db;

  const subscribe = {
    summary: "Subscribe a URL to an event",
    description:
      "200, as Pendo's Swagger documents, with the hook: the new one, or the one already there. A new hook's answer also holds, beyond Pendo's fields, its signing `secret`, shown only then.",
    body: subscribeBody,
    querystring: noQuery,
    response: { 200: classicHookMaybeWithSecret },
  };
  app.post("/hooks", { schema: subscribe }, async (request, reply) => {
    const made = await createHook(
      db,
      feedbackCallerOf(request),
      { event: request.body.event, targetUrl: request.body.target_url },
      deps.webhookPolicy,
    );
    reply.header("Cache-Control", "no-store");
    return made.created ? { ...toHook(made.hook), secret: made.secret } : toHook(made.hook);
  });

  app.post(
    "/hooks/unsubscribe",
    {
      schema: {
        summary: "Unsubscribe a URL from every event",
        body: unsubscribeBody,
        querystring: noQuery,
        response: { 200: removedHooks },
      },
    },
    async (request) => ({
      removed: await unsubscribeUrl(db, feedbackCallerOf(request), request.body.target_url),
    }),
  );
}
