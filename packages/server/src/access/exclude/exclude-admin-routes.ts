import type { preHandlerAsyncHookHandler } from "fastify";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { sessionOf } from "../sessions/session-guard.js";
import { requirePermission } from "../users/permissions.js";
import { maxPatternLength } from "./exclude-rules.js";
import { addExcludeRule, listExcludeRules, maxNoteLength, removeExcludeRule } from "./exclude-service.js";

const addBody = {
  type: "object",
  required: ["kind", "pattern"],
  additionalProperties: false,
  properties: {
    // Any string: the service refuses an unknown kind with a message that lists the kinds.
    kind: { type: "string", maxLength: 50 },
    // Room for surrounding spaces; the service trims, then enforces maxPatternLength with a clear message.
    pattern: { type: "string", maxLength: maxPatternLength * 2 },
    note: { type: "string", maxLength: maxNoteLength * 2 },
  },
} as const;
const idParams = {
  type: "object",
  properties: { id: { type: "string", maxLength: 100 } },
  required: ["id"],
} as const;

/** The Exclude List: every role reads it; owners and admins change it. */
export function registerExcludeRoutes(
  app: CairnApp,
  metadata: MetadataStore,
  requireSession: preHandlerAsyncHookHandler,
): void {
  const db = metadata.db;

  app.get("/api/admin/exclude-rules", { preHandler: requireSession }, async (request) => {
    const session = sessionOf(request);
    requirePermission(session.user, "exclude.read");
    return { rules: await listExcludeRules(db, session.subscriptionId) };
  });

  app.post<{ Body: { kind: string; pattern: string; note?: string } }>(
    "/api/admin/exclude-rules",
    { preHandler: requireSession, schema: { body: addBody } },
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

  app.delete<{ Params: { id: string } }>(
    "/api/admin/exclude-rules/:id",
    { preHandler: requireSession, schema: { params: idParams } },
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
