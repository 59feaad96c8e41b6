import type { preHandlerAsyncHookHandler } from "fastify";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { sessionOf } from "../sessions/session-guard.js";
import { requirePermission } from "../users/permissions.js";
import type { SecretKeyKind } from "./key-format.js";
import {
  createKey,
  defaultRollGrace,
  listKeys,
  revokeKey,
  rollGraceChoicesMs,
  rollKey,
} from "./key-service.js";

const createBody = {
  type: "object",
  required: ["kind", "description"],
  additionalProperties: false,
  properties: {
    kind: { enum: ["integration", "feedback", "track"] },
    description: { type: "string", maxLength: 1000 },
    write: { type: "boolean" },
    appId: { type: "string", maxLength: 100 },
    expiresAt: { type: "string", format: "date-time" },
  },
} as const;
const rollBody = {
  type: "object",
  additionalProperties: false,
  properties: { grace: { enum: Object.keys(rollGraceChoicesMs) } },
} as const;
const idParams = {
  type: "object",
  properties: { id: { type: "string", maxLength: 100 } },
  required: ["id"],
} as const;
const listQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    limit: { type: "integer", minimum: 1, maximum: 1000 },
    after: { type: "string", maxLength: 100 },
  },
} as const;

interface CreateBody {
  kind: SecretKeyKind;
  description: string;
  write?: boolean;
  appId?: string;
  expiresAt?: string;
}

/** Who may change a key of this kind (integration keys need integration key access, keys.md rule 1). */
function manageAction(kind: SecretKeyKind) {
  return kind === "integration" ? "integration_keys.manage" : "keys.manage";
}

export function registerKeysRoutes(
  app: CairnApp,
  metadata: MetadataStore,
  requireSession: preHandlerAsyncHookHandler,
): void {
  const db = metadata.db;

  app.get<{ Querystring: { limit?: number; after?: string } }>(
    "/api/admin/keys",
    { preHandler: requireSession, schema: { querystring: listQuery } },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "keys.read");
      return listKeys(db, session.subscriptionId, {
        limit: request.query.limit,
        after: request.query.after ?? null,
      });
    },
  );

  app.post<{ Body: CreateBody }>(
    "/api/admin/keys",
    { preHandler: requireSession, schema: { body: createBody } },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, manageAction(request.body.kind));
      const expiresAt = request.body.expiresAt === undefined ? null : new Date(request.body.expiresAt);
      const { key, record } = await createKey(db, {
        subscriptionId: session.subscriptionId,
        kind: request.body.kind,
        description: request.body.description,
        write: request.body.write,
        appId: request.body.appId ?? null,
        expiresAt,
        actor: session.user.id,
        ip: request.ip,
      });
      return reply.code(201).send({ key, ...record });
    },
  );

  async function kindOf(subscriptionId: string, id: string): Promise<SecretKeyKind> {
    const row = await db
      .selectFrom("api_keys")
      .select("kind")
      .where("id", "=", id)
      .where("subscription_id", "=", subscriptionId)
      .executeTakeFirst();
    if (!row) throw new CairnError("not_found", { message: `No key ${id} in this subscription.` });
    return row.kind;
  }

  app.post<{ Params: { id: string }; Body: { grace?: string } | undefined }>(
    "/api/admin/keys/:id/roll",
    { preHandler: requireSession, schema: { params: idParams, body: rollBody } },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, manageAction(await kindOf(session.subscriptionId, request.params.id)));
      const { key, record, old } = await rollKey(db, {
        subscriptionId: session.subscriptionId,
        id: request.params.id,
        grace: request.body?.grace ?? defaultRollGrace,
        actor: session.user.id,
        ip: request.ip,
      });
      return { key, ...record, old };
    },
  );

  app.post<{ Params: { id: string } }>(
    "/api/admin/keys/:id/revoke",
    { preHandler: requireSession, schema: { params: idParams } },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, manageAction(await kindOf(session.subscriptionId, request.params.id)));
      return revokeKey(db, {
        subscriptionId: session.subscriptionId,
        id: request.params.id,
        actor: session.user.id,
        ip: request.ip,
      });
    },
  );
}
