import { Type } from "@sinclair/typebox";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { noContent } from "../../platform/http/schema-kit.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { createHook, deleteHook, listHooks, unsubscribeUrl } from "../webhooks/hook-service.js";
import { hookShape } from "../webhooks/hook-shape.js";
import { feedbackCallerOf } from "./feedback-caller.js";
import { hookIdParams, removedHooks, subscribeBody, unsubscribeBody } from "./hook-schemas.js";
import { noQuery } from "./idea-schemas.js";

/** Webhook subscriptions, with Pendo Feedback's body names (`event`, `target_url`). */
export function registerHookRoutes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;

  app.post(
    "/api/v1/hooks",
    {
      schema: {
        summary: "Subscribe a URL to an event",
        description:
          "201 when the hook is new; 200 with the existing one when the URL was already subscribed.",
        body: subscribeBody,
        querystring: noQuery,
        response: { 200: hookShape, 201: hookShape },
      },
    },
    async (request, reply) => {
      const { hook, created } = await createHook(db, feedbackCallerOf(request), {
        event: request.body.event,
        targetUrl: request.body.target_url,
      });
      return reply.code(created ? 201 : 200).send(hook);
    },
  );

  app.get(
    "/api/v1/hooks",
    {
      schema: {
        summary: "List webhook subscriptions",
        querystring: noQuery,
        response: { 200: Type.Object({ results: Type.Array(hookShape) }) },
      },
    },
    async (request) => ({ results: await listHooks(db, feedbackCallerOf(request)) }),
  );

  app.post(
    "/api/v1/hooks/unsubscribe",
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

  app.delete(
    "/api/v1/hooks/:id",
    {
      schema: {
        summary: "Delete a webhook subscription",
        params: hookIdParams,
        querystring: noQuery,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await deleteHook(db, feedbackCallerOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
