import type { preHandlerAsyncHookHandler } from "fastify";
import type { CairnApp } from "../platform/http/cairn-app.js";
import type { MetadataStore } from "../store/metadata/metadata-store.js";
import { defaultAppKeyGraceMs, rollAppKey, setAllowedOrigins, setFeedbackWidget } from "./apps/app-keys.js";
import { createApp, listApps } from "./apps/app-service.js";
import { listAudit, recordAudit } from "./audit/audit-log.js";
import { setIntegrationKeysEnabled } from "./keys/key-service.js";
import { sessionOf } from "./sessions/session-guard.js";
import { requirePermission } from "./users/permissions.js";
import { roles, type UserRole } from "./users/roles.js";
import { signInLink } from "./users/sign-in-tokens.js";
import { addUser, listUsers, removeUser } from "./users/user-service.js";

const idParams = {
  type: "object",
  properties: { id: { type: "string", maxLength: 100 } },
  required: ["id"],
} as const;

/** Apps, users, the audit log and subscription settings. */
export function registerDirectoryRoutes(
  app: CairnApp,
  deps: { metadata: MetadataStore; publicUrl: () => string; requireSession: preHandlerAsyncHookHandler },
): void {
  const { metadata, publicUrl, requireSession } = deps;
  const db = metadata.db;

  app.get("/api/admin/apps", { preHandler: requireSession }, async (request) => {
    const session = sessionOf(request);
    requirePermission(session.user, "apps.read");
    return { apps: await listApps(db, session.subscriptionId) };
  });

  app.post<{ Body: { name: string } }>(
    "/api/admin/apps",
    {
      preHandler: requireSession,
      schema: {
        body: {
          type: "object",
          required: ["name"],
          additionalProperties: false,
          properties: { name: { type: "string", maxLength: 1000 } },
        },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "apps.manage");
      const created = await createApp(db, {
        subscriptionId: session.subscriptionId,
        name: request.body.name,
        actor: session.user.id,
        ip: request.ip,
      });
      return reply.code(201).send(created);
    },
  );

  app.post<{ Params: { id: string }; Body: { graceDays?: number } | undefined }>(
    "/api/admin/apps/:id/roll-key",
    {
      preHandler: requireSession,
      schema: {
        params: idParams,
        body: {
          type: "object",
          additionalProperties: false,
          properties: { graceDays: { type: "number", minimum: 0, maximum: 365 } },
        },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "apps.manage");
      const graceDays = request.body?.graceDays;
      return rollAppKey(db, {
        subscriptionId: session.subscriptionId,
        appId: request.params.id,
        graceMs: graceDays === undefined ? defaultAppKeyGraceMs : graceDays * 24 * 60 * 60 * 1000,
        actor: session.user.id,
        ip: request.ip,
      });
    },
  );

  app.put<{ Params: { id: string }; Body: { allowedOrigins: string[] } }>(
    "/api/admin/apps/:id/allowed-origins",
    {
      preHandler: requireSession,
      schema: {
        params: idParams,
        body: {
          type: "object",
          required: ["allowedOrigins"],
          additionalProperties: false,
          properties: {
            allowedOrigins: { type: "array", items: { type: "string", maxLength: 300 }, maxItems: 100 },
          },
        },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "apps.manage");
      const allowedOrigins = await setAllowedOrigins(db, {
        subscriptionId: session.subscriptionId,
        appId: request.params.id,
        origins: request.body.allowedOrigins,
        actor: session.user.id,
        ip: request.ip,
      });
      return { allowedOrigins };
    },
  );

  app.put<{ Params: { id: string }; Body: { enabled: boolean } }>(
    "/api/admin/apps/:id/feedback-widget",
    {
      preHandler: requireSession,
      schema: {
        params: idParams,
        body: {
          type: "object",
          required: ["enabled"],
          additionalProperties: false,
          properties: { enabled: { type: "boolean" } },
        },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "apps.manage");
      const enabled = await setFeedbackWidget(db, {
        subscriptionId: session.subscriptionId,
        appId: request.params.id,
        enabled: request.body.enabled,
        actor: session.user.id,
        ip: request.ip,
      });
      return { feedbackWidget: enabled };
    },
  );

  app.get("/api/admin/users", { preHandler: requireSession }, async (request) => {
    const session = sessionOf(request);
    requirePermission(session.user, "users.read");
    return { users: await listUsers(db, session.subscriptionId) };
  });

  app.post<{ Body: { email: string; name: string; role: UserRole; integrationKeyAccess?: boolean } }>(
    "/api/admin/users",
    {
      preHandler: requireSession,
      schema: {
        body: {
          type: "object",
          required: ["email", "name", "role"],
          additionalProperties: false,
          properties: {
            email: { type: "string", maxLength: 320 },
            name: { type: "string", maxLength: 1000 },
            role: { enum: roles },
            integrationKeyAccess: { type: "boolean" },
          },
        },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "users.manage");
      const { user, signInToken } = await addUser(db, {
        subscriptionId: session.subscriptionId,
        ...request.body,
        actor: session.user.id,
        ip: request.ip,
      });
      // The link is for the owner to hand over; like a key, it is answered once and stored only as a hash.
      return reply.code(201).send({ ...user, signInLink: signInLink(publicUrl(), signInToken) });
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/api/admin/users/:id",
    { preHandler: requireSession, schema: { params: idParams } },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "users.manage");
      await removeUser(db, {
        subscriptionId: session.subscriptionId,
        id: request.params.id,
        actor: session.user.id,
        ip: request.ip,
      });
      return reply.code(204).send();
    },
  );

  app.get<{ Querystring: { limit?: number; target?: string } }>(
    "/api/admin/audit",
    {
      preHandler: requireSession,
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            limit: { type: "integer", minimum: 1, maximum: 1000 },
            target: { type: "string", maxLength: 100 },
          },
        },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "audit.read");
      return { records: await listAudit(db, session.subscriptionId, request.query) };
    },
  );

  app.patch<{ Body: { integrationKeysEnabled?: boolean; exposedKeyPolicy?: "notify" | "revoke" } }>(
    "/api/admin/subscription",
    {
      preHandler: requireSession,
      schema: {
        body: {
          type: "object",
          additionalProperties: false,
          minProperties: 1,
          properties: {
            integrationKeysEnabled: { type: "boolean" },
            exposedKeyPolicy: { enum: ["notify", "revoke"] },
          },
        },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "subscription.manage");
      const { integrationKeysEnabled, exposedKeyPolicy } = request.body;
      if (integrationKeysEnabled !== undefined) {
        await setIntegrationKeysEnabled(db, {
          subscriptionId: session.subscriptionId,
          enabled: integrationKeysEnabled,
          actor: session.user.id,
          ip: request.ip,
        });
      }
      if (exposedKeyPolicy !== undefined) {
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable("subscriptions")
            .set({ exposed_key_policy: exposedKeyPolicy })
            .where("id", "=", session.subscriptionId)
            .execute();
          await recordAudit(trx, {
            subscriptionId: session.subscriptionId,
            actor: session.user.id,
            action: "subscription.updated",
            target: session.subscriptionId,
            ip: request.ip,
            detail: { exposedKeyPolicy },
          });
        });
      }
      const row = await db
        .selectFrom("subscriptions")
        .select(["id", "name", "integration_keys_enabled", "exposed_key_policy"])
        .where("id", "=", session.subscriptionId)
        .executeTakeFirstOrThrow();
      return {
        id: row.id,
        name: row.name,
        integrationKeysEnabled: row.integration_keys_enabled === 1,
        exposedKeyPolicy: row.exposed_key_policy,
      };
    },
  );
}
