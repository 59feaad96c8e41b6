import { Type } from "@sinclair/typebox";
import type { AdminRouteDeps } from "../../access/admin-route-deps.js";
import { sessionOf } from "../../access/sessions/session-guard.js";
import { requirePermission } from "../../access/users/permissions.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { strictValidatorCompiler } from "../../platform/http/lazy-validators.js";
import type { ProfileStore } from "../../store/profiles/profile-store.js";
import type { AggregationDeps } from "../aggregation/run/run-aggregation.js";
import { historyParameters, readVisitorHistory } from "./profile-query-routes.js";
import { profileAnswer, readAccount, readVisitor } from "./profile-routes.js";
import { historyEntrySchema } from "./visitor-history.js";

const noQuery = Type.Object({}, { additionalProperties: false });
const visitorParams = Type.Object({ visitorId: Type.String({ minLength: 1 }) });

/**
 * The v1 visitor, account and history reads for a signed-in user (any role): `GET /api/admin/visitors/:visitorId`,
 * `GET …/:visitorId/history?starttime=` and `GET /api/admin/accounts/:accountId`, answered by the functions the
 * v1 routes use, so the answers (and 404s) are the same.
 */
export function registerProfileAdminRoutes(
  app: CairnApp,
  deps: { aggregation: AggregationDeps; profiles: ProfileStore } & Pick<AdminRouteDeps, "requireSession">,
): void {
  const preHandler = deps.requireSession;
  const validatorCompiler = strictValidatorCompiler;

  app.get(
    "/api/admin/visitors/:visitorId",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "Read a visitor and their metadata (as GET /api/v1/visitor/:visitorId)",
        params: visitorParams,
        querystring: noQuery,
        response: { 200: profileAnswer },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "profiles.read");
      return readVisitor(deps.profiles, session.subscriptionId, request.params.visitorId);
    },
  );

  app.get(
    "/api/admin/visitors/:visitorId/history",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "One day of a visitor's history from starttime (as GET /api/v1/visitor/:visitorId/history)",
        params: visitorParams,
        querystring: Type.Object(historyParameters, { additionalProperties: false }),
        response: { 200: Type.Array(historyEntrySchema) },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "profiles.read");
      return readVisitorHistory(deps, session.subscriptionId, request.params.visitorId, request.query);
    },
  );

  app.get(
    "/api/admin/accounts/:accountId",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "Read an account and its metadata (as GET /api/v1/account/:accountId)",
        params: Type.Object({ accountId: Type.String({ minLength: 1 }) }),
        querystring: noQuery,
        response: { 200: profileAnswer },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "profiles.read");
      return readAccount(deps.profiles, session.subscriptionId, request.params.accountId);
    },
  );
}
