import { Type } from "@sinclair/typebox";
import type { AdminRouteDeps } from "../../access/admin-route-deps.js";
import { adminIdParams } from "../../access/admin-schemas.js";
import { sessionOf } from "../../access/sessions/session-guard.js";
import { requirePermission } from "../../access/users/permissions.js";
import type { IngestWriter } from "../../ingest/ingest-writer.js";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { strictValidatorCompiler } from "../../platform/http/lazy-validators.js";
import { isoTime, nullable } from "../../platform/http/schema-kit.js";
import type { EventQuery } from "../../store/events/event-query.js";
import { lastEventReader } from "./last-event.js";

const lastEventAnswer = Type.Object({
  lastEventAt: nullable(
    isoTime(),
    "When the app's newest stored event (any type) was received; null before its first",
  ),
  checkedAt: isoTime("When this answer was read"),
});

/**
 * `GET /api/admin/apps/:id/last-event`: when the app's newest event was received, for Install Settings' "last
 * event received" check, which polls it (every role; another subscription's app is a 404).
 */
export function registerLastEventRoute(
  app: CairnApp,
  deps: Pick<AdminRouteDeps, "metadata" | "requireSession"> & {
    events: EventQuery;
    writer: Pick<IngestWriter, "loadedWithin">;
  },
): void {
  const lastEvent = lastEventReader(deps);
  app.get(
    "/api/admin/apps/:id/last-event",
    {
      preHandler: deps.requireSession,
      validatorCompiler: strictValidatorCompiler,
      schema: {
        summary: "When an app's newest event was received (polled by the install check)",
        params: adminIdParams,
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: lastEventAnswer },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "apps.read");
      const appId = request.params.id;
      const known = await deps.metadata.db
        .selectFrom("apps")
        .select("id")
        .where("id", "=", appId)
        .where("subscription_id", "=", session.subscriptionId)
        .executeTakeFirst();
      if (!known) throw new CairnError("not_found", { message: `No app ${appId} in this subscription.` });
      const { lastEventAt, checkedAt } = await lastEvent(session.subscriptionId, appId);
      return {
        lastEventAt: lastEventAt === null ? null : new Date(lastEventAt).toISOString(),
        checkedAt: new Date(checkedAt).toISOString(),
      };
    },
  );
}
