import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { createHook, deleteHook, listHooks, unsubscribeUrl } from "../webhooks/hook-service.js";
import { feedbackCallerOf } from "./feedback-caller.js";
import { hookIdParams, subscribeBody, unsubscribeBody } from "./hook-schemas.js";
import { noQuery } from "./idea-schemas.js";

/** Webhook subscriptions, with Pendo Feedback's body names (`event`, `target_url`). */
export function registerHookRoutes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;

  app.post(
    "/api/v1/hooks",
    { schema: { body: subscribeBody, querystring: noQuery } },
    async (request, reply) => {
      const { hook, created } = await createHook(db, feedbackCallerOf(request), {
        event: request.body.event,
        targetUrl: request.body.target_url,
      });
      return reply.code(created ? 201 : 200).send(hook);
    },
  );

  app.get("/api/v1/hooks", { schema: { querystring: noQuery } }, async (request) => ({
    results: await listHooks(db, feedbackCallerOf(request)),
  }));

  app.post(
    "/api/v1/hooks/unsubscribe",
    { schema: { body: unsubscribeBody, querystring: noQuery } },
    async (request) => ({
      removed: await unsubscribeUrl(db, feedbackCallerOf(request), request.body.target_url),
    }),
  );

  app.delete(
    "/api/v1/hooks/:id",
    { schema: { params: hookIdParams, querystring: noQuery } },
    async (request, reply) => {
      await deleteHook(db, feedbackCallerOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
