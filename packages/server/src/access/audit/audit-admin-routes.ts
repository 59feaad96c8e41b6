import { Type } from "@sinclair/typebox";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { auditRecord } from "../admin-answers.js";
import type { AdminRouteDeps } from "../admin-route-deps.js";
import { sessionOf } from "../sessions/session-guard.js";
import { requirePermission } from "../users/permissions.js";
import { listAudit } from "./audit-log.js";

const listQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    target: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

/** The audit log, newest first, for admins and owners. */
export function registerAuditAdminRoutes(
  app: CairnApp,
  deps: Pick<AdminRouteDeps, "metadata" | "requireSession">,
): void {
  const db = deps.metadata.db;

  app.get(
    "/api/admin/audit",
    {
      preHandler: deps.requireSession,
      schema: {
        summary: "The audit log, newest first",
        querystring: listQuery,
        response: { 200: Type.Object({ records: Type.Array(auditRecord) }) },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "audit.read");
      return { records: await listAudit(db, session.subscriptionId, request.query) };
    },
  );
}
