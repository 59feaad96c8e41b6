import type { FastifyInstance } from "fastify";
import type { FeedbackHookEvent } from "../../store/metadata/metadata-schema.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { createHook, deleteHook, listHooks, unsubscribeUrl } from "../webhooks/hook-service.js";
import { feedbackHookEvents, hookLimits } from "../webhooks/webhook-events.js";
import { feedbackCallerOf } from "./feedback-caller.js";
import { noQuery } from "./idea-schemas.js";

const targetUrl = { type: "string", minLength: 1, maxLength: hookLimits.urlLength } as const;

const subscribeBody = {
  type: "object",
  required: ["event", "target_url"],
  additionalProperties: false,
  properties: { event: { type: "string", enum: [...feedbackHookEvents] }, target_url: targetUrl },
} as const;

const unsubscribeBody = {
  type: "object",
  required: ["target_url"],
  additionalProperties: false,
  properties: { target_url: targetUrl },
} as const;

const hookIdParams = {
  type: "object",
  required: ["id"],
  additionalProperties: false,
  properties: { id: { type: "string", minLength: 1, maxLength: 100 } },
} as const;

/** Webhook subscriptions, with Pendo Feedback's body names (`event`, `target_url`). */
export function registerHookRoutes(app: FastifyInstance, metadata: MetadataStore): void {
  const db = metadata.db;

  app.post<{ Body: { event: FeedbackHookEvent; target_url: string } }>(
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

  app.post<{ Body: { target_url: string } }>(
    "/api/v1/hooks/unsubscribe",
    { schema: { body: unsubscribeBody, querystring: noQuery } },
    async (request) => ({
      removed: await unsubscribeUrl(db, feedbackCallerOf(request), request.body.target_url),
    }),
  );

  app.delete<{ Params: { id: string } }>(
    "/api/v1/hooks/:id",
    { schema: { params: hookIdParams, querystring: noQuery } },
    async (request, reply) => {
      await deleteHook(db, feedbackCallerOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
