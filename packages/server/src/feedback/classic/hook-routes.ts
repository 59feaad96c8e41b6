import type { FastifyInstance } from "fastify";
import type { FeedbackHookEvent } from "../../store/metadata/metadata-schema.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import { createHook, unsubscribeUrl } from "../webhooks/hook-service.js";
import { noQuery, subscribeBody, unsubscribeBody } from "./classic-schemas.js";
import { toHook } from "./classic-shapes.js";

/** Pendo's webhook subscribe and unsubscribe: the same hooks as /api/v1/hooks. */
export function registerHookRoutes(app: FastifyInstance, metadata: MetadataStore): void {
  const db = metadata.db;

  app.post<{ Body: { event: FeedbackHookEvent; target_url: string } }>(
    "/hooks",
    { schema: { body: subscribeBody, querystring: noQuery } },
    async (request, reply) => {
      const { hook, created } = await createHook(db, feedbackCallerOf(request), {
        event: request.body.event,
        targetUrl: request.body.target_url,
      });
      return reply.code(created ? 201 : 200).send(toHook(hook));
    },
  );

  app.post<{ Body: { target_url: string } }>(
    "/hooks/unsubscribe",
    { schema: { body: unsubscribeBody, querystring: noQuery } },
    async (request) => ({
      removed: await unsubscribeUrl(db, feedbackCallerOf(request), request.body.target_url),
    }),
  );
}
