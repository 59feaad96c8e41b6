import { Type } from "@sinclair/typebox";
import type { AdminRouteDeps } from "../../access/admin-route-deps.js";
import { sessionOf } from "../../access/sessions/session-guard.js";
import { requirePermission } from "../../access/users/permissions.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { aggregationAnswer, aggregationBody } from "./aggregation-route.js";
import {
  type AggregationDeps,
  type AggregationLimits,
  defaultAggregationLimits,
  runAggregation,
} from "./run/run-aggregation.js";

/**
 * `POST /api/admin/aggregation`: `POST /api/v1/aggregation` for a signed-in user (session cookie and CSRF
 * token, as every admin POST): the same body, answer and errors, run by the same `runAggregation`. Every role
 * may run one (`reports.read`): it only reads.
 */
export function registerAggregationAdminRoute(
  app: CairnApp,
  deps: AggregationDeps & Pick<AdminRouteDeps, "requireSession"> & { aggregationLimits?: AggregationLimits },
): void {
  const limits = deps.aggregationLimits ?? defaultAggregationLimits;
  app.post(
    "/api/admin/aggregation",
    {
      preHandler: deps.requireSession,
      // The v1 route's validator too, so a body it refuses is refused here with the same error.
      schema: {
        summary: "Run an aggregation pipeline (as POST /api/v1/aggregation; any role)",
        querystring: Type.Object({}, { additionalProperties: false }),
        body: aggregationBody,
        response: { 200: aggregationAnswer },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "reports.read");
      return runAggregation(deps, session.subscriptionId, request.body, limits);
    },
  );
}
