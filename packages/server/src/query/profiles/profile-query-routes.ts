import { Type } from "@sinclair/typebox";
import { subscriptionOf } from "../../access/keys/subscription-of.js";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { ignoredQuery } from "../../platform/http/common-schemas.js";
import { strictValidatorCompiler } from "../../platform/http/lazy-validators.js";
import { stringEnum } from "../../platform/http/schema-kit.js";
import type { EventQuery } from "../../store/events/event-query.js";
import type { ProfileMirror } from "../../store/events/profile-mirror.js";
import type { ProfileStore } from "../../store/profiles/profile-store.js";
import type { AggregationDeps } from "../aggregation/run/run-aggregation.js";
import { profileBodySchema } from "./profile-body-schema.js";
import { type HistoryEntry, historyEntrySchema, visitorHistory } from "./visitor-history.js";
import { visitorsByLowerCaseField } from "./visitor-lookup.js";

/** `starttime` and `blacklist`, the history's parameters; the v1 route also takes those clients add. */
export const historyParameters = {
  starttime: Type.String({
    pattern: "^[0-9]{1,15}(\\.[0-9]*)?$",
    description: "the day's start, epoch ms; the history covers the 24 hours from it",
  }),
  blacklist: Type.Optional(stringEnum(["apply", "ignore", "only"])),
};
const historyQuery = Type.Object(historyParameters, { additionalProperties: true });

/** A visitor's history for the day from `starttime`; a 404 when the subscription has no such visitor. */
export async function readVisitorHistory(
  deps: { aggregation: AggregationDeps; profiles: ProfileStore },
  subscriptionId: string,
  visitorId: string,
  query: { starttime: string; blacklist?: "apply" | "ignore" | "only" },
): Promise<HistoryEntry[]> {
  if (!(await deps.profiles.visitor(subscriptionId, visitorId)))
    throw new CairnError("not_found", { message: "No visitor with this id in this subscription." });
  const start = Math.floor(Number(query.starttime));
  return visitorHistory(deps.aggregation, subscriptionId, visitorId, start, query.blacklist);
}

/**
 * Reads of visitors beyond the point read: one day of a visitor's history, and visitors by a lower-cased
 * metadata value. Both go through the query engine.
 */
export function registerProfileQueryRoutes(
  app: CairnApp,
  deps: {
    aggregation: AggregationDeps;
    events: EventQuery;
    profiles: ProfileStore;
    profileMirror: ProfileMirror;
  },
): void {
  const validatorCompiler = strictValidatorCompiler;

  app.get(
    "/api/v1/visitor/:visitorId/history",
    {
      validatorCompiler,
      schema: {
        summary: "One day of a visitor's history: pages, features and guides, from starttime",
        params: Type.Object({ visitorId: Type.String({ minLength: 1 }) }),
        querystring: historyQuery,
        response: { 200: Type.Array(historyEntrySchema) },
      },
    },
    async (request) =>
      readVisitorHistory(deps, subscriptionOf(request), request.params.visitorId, request.query),
  );

  app.get(
    "/api/v1/visitor/metadata/:group/:field/:value",
    {
      validatorCompiler,
      schema: {
        summary:
          "Visitors whose metadata field, lower-cased, equals the value (…/agent/_lc_email/ann@example.com)",
        params: Type.Object({
          group: Type.String({ description: "agent, custom or auto" }),
          field: Type.String({ description: "_lc_ and the field's name: _lc_email" }),
          value: Type.String(),
        }),
        querystring: ignoredQuery,
        response: { 200: Type.Array(profileBodySchema) },
      },
    },
    async (request) => {
      const { group, field, value } = request.params;
      return visitorsByLowerCaseField(deps, subscriptionOf(request), group, field, value);
    },
  );
}
