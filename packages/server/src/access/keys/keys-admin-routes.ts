import { Type } from "@sinclair/typebox";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { anyEnum } from "../../platform/http/schema-kit.js";
import { createdKeyAnswer, keyPage, keyRecord } from "../admin-answers.js";
import type { AdminRouteDeps } from "../admin-route-deps.js";
import { adminIdParams } from "../admin-schemas.js";
import { sessionOf } from "../sessions/session-guard.js";
import { requirePermission } from "../users/permissions.js";
import type { SecretKeyKind } from "./key-format.js";
import {
  createKey,
  defaultRollGrace,
  keyKindOf,
  listKeys,
  revokeKey,
  rollGraceChoicesMs,
  rollKey,
} from "./key-service.js";

const secretKeyKinds: readonly SecretKeyKind[] = ["integration", "feedback", "track", "identity"];

const createBody = Type.Object(
  {
    kind: anyEnum(secretKeyKinds),
    description: Type.String({ maxLength: 1000 }),
    write: Type.Optional(Type.Boolean()),
    appId: Type.Optional(Type.String({ maxLength: 100 })),
    expiresAt: Type.Optional(Type.String({ format: "date-time" })),
  },
  { additionalProperties: false },
);
const rollBody = Type.Object(
  { grace: Type.Optional(anyEnum(Object.keys(rollGraceChoicesMs))) },
  { additionalProperties: false },
);
const listQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    after: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

/** Who may change a key of this kind (integration keys need integration key access, keys.md rule 1). */
function manageAction(kind: SecretKeyKind) {
  return kind === "integration" ? "integration_keys.manage" : "keys.manage";
}

/** Secret keys: admins and owners list, create, roll and revoke them; a key is answered once, at creation. */
export function registerKeysAdminRoutes(
  app: CairnApp,
  deps: Pick<AdminRouteDeps, "metadata" | "requireSession">,
): void {
  const { requireSession } = deps;
  const db = deps.metadata.db;

  app.get(
    "/api/admin/keys",
    {
      preHandler: requireSession,
      schema: {
        summary: "List secret keys, oldest first",
        querystring: listQuery,
        response: { 200: keyPage },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "keys.read");
      return listKeys(db, session.subscriptionId, {
        limit: request.query.limit,
        after: request.query.after ?? null,
      });
    },
  );

  app.post(
    "/api/admin/keys",
    {
      preHandler: requireSession,
      schema: {
        summary: "Create a secret key",
        description: "The answer holds the key itself, this once.",
        body: createBody,
        response: { 201: createdKeyAnswer },
      },
    },
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

  app.post(
    "/api/admin/keys/:id/roll",
    {
      preHandler: requireSession,
      schema: {
        summary: "Roll a secret key",
        description: "A new key that works at once; the old one keeps working for the grace period.",
        params: adminIdParams,
        body: rollBody,
        response: { 200: Type.Object({ ...createdKeyAnswer.properties, old: keyRecord }) },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      const kind = await keyKindOf(db, session.subscriptionId, request.params.id);
      requirePermission(session.user, manageAction(kind));
      // The body may be left out altogether: the default grace period then applies.
      const grace = (request.body as typeof request.body | undefined)?.grace;
      const { key, record, old } = await rollKey(db, {
        subscriptionId: session.subscriptionId,
        id: request.params.id,
        grace: grace ?? defaultRollGrace,
        actor: session.user.id,
        ip: request.ip,
      });
      return { key, ...record, old };
    },
  );

  app.post(
    "/api/admin/keys/:id/revoke",
    {
      preHandler: requireSession,
      schema: { summary: "Revoke a secret key", params: adminIdParams, response: { 200: keyRecord } },
    },
    async (request) => {
      const session = sessionOf(request);
      const kind = await keyKindOf(db, session.subscriptionId, request.params.id);
      requirePermission(session.user, manageAction(kind));
      return revokeKey(db, {
        subscriptionId: session.subscriptionId,
        id: request.params.id,
        actor: session.user.id,
        ip: request.ip,
      });
    },
  );
}
