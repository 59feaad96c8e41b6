import { Type } from "@sinclair/typebox";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { noContent } from "../../platform/http/schema-kit.js";
import { excludeRule } from "../admin-answers.js";
import type { AdminRouteDeps } from "../admin-route-deps.js";
import { adminIdParams, noAdminQuery } from "../admin-schemas.js";
import { sessionOf } from "../sessions/session-guard.js";
import { requirePermission } from "../users/permissions.js";
import { maxPatternLength } from "./exclude-rules.js";
import { addExcludeRule, listExcludeRules, maxNoteLength, removeExcludeRule } from "./exclude-service.js";

const addBody = Type.Object(
  {
    // Any string: the service refuses an unknown kind with a message that lists the kinds.
    kind: Type.String({ maxLength: 50 }),
    // Room for surrounding spaces; the service trims, then enforces maxPatternLength with a clear message.
    pattern: Type.String({ maxLength: maxPatternLength * 2 }),
    note: Type.Optional(Type.String({ maxLength: maxNoteLength * 2 })),
  },
  { additionalProperties: false },
);

/** The Exclude List: every role reads it; owners and admins change it. */
export function registerExcludeAdminRoutes(
  app: CairnApp,
  deps: Pick<AdminRouteDeps, "metadata" | "requireSession">,
): void {
  const { requireSession } = deps;
  const db = deps.metadata.db;

  const listSchema = {
    summary: "The Exclude List",
    querystring: noAdminQuery,
    response: { 200: Type.Object({ rules: Type.Array(excludeRule) }) },
  };
  app.get("/api/admin/exclude-rules", { preHandler: requireSession, schema: listSchema }, async (request) => {
    const session = sessionOf(request);
    requirePermission(session.user, "exclude.read");
    return { rules: await listExcludeRules(db, session.subscriptionId) };
  });

  app.post(
    "/api/admin/exclude-rules",
    {
      preHandler: requireSession,
      schema: { summary: "Add an Exclude List rule", body: addBody, response: { 201: excludeRule } },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "exclude.manage");
      const rule = await addExcludeRule(db, {
        subscriptionId: session.subscriptionId,
        kind: request.body.kind,
        pattern: request.body.pattern,
        note: request.body.note ?? null,
        actor: session.user.id,
        ip: request.ip,
      });
      return reply.code(201).send(rule);
    },
  );

  app.delete(
    "/api/admin/exclude-rules/:id",
    {
      preHandler: requireSession,
      schema: { summary: "Remove an Exclude List rule", params: adminIdParams, response: { 204: noContent } },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "exclude.manage");
      await removeExcludeRule(db, {
        subscriptionId: session.subscriptionId,
        id: request.params.id,
        actor: session.user.id,
        ip: request.ip,
      });
      return reply.code(204).send();
    },
  );
}
