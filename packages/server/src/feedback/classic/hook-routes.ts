import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import { removedHooks } from "../v1/hook-schemas.js";
import { createHook, unsubscribeUrl } from "../webhooks/hook-service.js";
import type { WebhookPolicy } from "../webhooks/webhook-policy.js";
import { noQuery, subscribeBody, unsubscribeBody } from "./classic-schemas.js";
import { classicHook, classicHookWithSecret, toHook } from "./classic-shapes.js";

/** Pendo's webhook subscribe and unsubscribe: the same hooks as /api/v1/hooks. */
export function registerHookRoutes(
  app: CairnApp,
  deps: { metadata: MetadataStore; webhookPolicy: WebhookPolicy },
): void {
  const db = deps.metadata.db;

  const subscribe = {
    summary: "Subscribe a URL to an event",
    description:
      "201 with the new hook and, beyond Pendo's fields, its signing `secret`, shown only in this answer; 200 with the existing one (no secret) when the URL was already subscribed.",
    body: subscribeBody,
    querystring: noQuery,
    response: { 200: classicHook, 201: classicHookWithSecret },
  };
  app.post("/hooks", { schema: subscribe }, async (request, reply) => {
    const made = await createHook(
      db,
      feedbackCallerOf(request),
      { event: request.body.event, targetUrl: request.body.target_url },
      deps.webhookPolicy,
    );
    reply.header("Cache-Control", "no-store");
    return made.created
      ? reply.code(201).send({ ...toHook(made.hook), secret: made.secret })
      : reply.code(200).send(toHook(made.hook));
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
