import { Type } from "@sinclair/typebox";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { noContent } from "../../platform/http/schema-kit.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import {
  createHook,
  deleteHook,
  listHooks,
  rollHookSecret,
  unsubscribeUrl,
} from "../webhooks/hook-service.js";
import { hookShape, hookWithSecretShape } from "../webhooks/hook-shape.js";
import type { WebhookPolicy } from "../webhooks/webhook-policy.js";
import { feedbackCallerOf } from "./feedback-caller.js";
import { hookIdParams, removedHooks, subscribeBody, unsubscribeBody } from "./hook-schemas.js";
import { noQuery } from "./idea-schemas.js";

/** Webhook subscriptions, with Pendo Feedback's body names (`event`, `target_url`). */
export function registerHookRoutes(
  app: CairnApp,
  deps: { metadata: MetadataStore; webhookPolicy: WebhookPolicy },
): void {
  const db = deps.metadata.db;

  app.post(
    "/api/v1/hooks",
    {
      schema: {
        summary: "Subscribe a URL to an event",
        description:
          "201 with the new hook and its signing `secret`, shown only in this answer; 200 with the existing hook (no secret) when the URL was already subscribed. The URL must be https and public unless the operator allowed otherwise (400 says what to do).",
        body: subscribeBody,
        querystring: noQuery,
        response: { 200: hookShape, 201: hookWithSecretShape },
      },
    },
    async (request, reply) => {
      const made = await createHook(
        db,
        feedbackCallerOf(request),
        { event: request.body.event, targetUrl: request.body.target_url },
        deps.webhookPolicy,
      );
      reply.header("Cache-Control", "no-store");
      return made.created
        ? reply.code(201).send({ ...made.hook, secret: made.secret })
        : reply.code(200).send(made.hook);
    },
  );

  app.post(
    "/api/v1/hooks/:id/roll-secret",
    {
      schema: {
        summary: "Roll a webhook's signing secret",
        description:
          "Answers the hook with a new signing `secret`, shown only in this answer; deliveries are signed with it from now on and the old one stops verifying at once.",
        params: hookIdParams,
        querystring: noQuery,
        response: { 200: hookWithSecretShape },
      },
    },
    async (request, reply) => {
      const { hook, secret } = await rollHookSecret(db, feedbackCallerOf(request), request.params.id);
      return reply.header("Cache-Control", "no-store").send({ ...hook, secret });
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
