import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import { createHook, unsubscribeUrl } from "../webhooks/hook-service.js";
import { noQuery, subscribeBody, unsubscribeBody } from "./classic-schemas.js";
import { toHook } from "./classic-shapes.js";

/** Pendo's webhook subscribe and unsubscribe: the same hooks as /api/v1/hooks. */
export function registerHookRoutes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;

  app.post("/hooks", { schema: { body: subscribeBody, querystring: noQuery } }, async (request, reply) => {
    const { hook, created } = await createHook(db, feedbackCallerOf(request), {
      event: request.body.event,
      targetUrl: request.body.target_url,
    });
    return reply.code(created ? 201 : 200).send(toHook(hook));
  });

  app.post(
    "/hooks/unsubscribe",
    { schema: { body: unsubscribeBody, querystring: noQuery } },
    async (request) => ({
      removed: await unsubscribeUrl(db, feedbackCallerOf(request), request.body.target_url),
    }),
  );
}
