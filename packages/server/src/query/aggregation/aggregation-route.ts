import { Type } from "@sinclair/typebox";
import { subscriptionOf } from "../../access/keys/subscription-of.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import {
  type AggregationDeps,
  type AggregationLimits,
  defaultAggregationLimits,
  runAggregation,
} from "./run/run-aggregation.js";

// Loose on purpose: the pipeline's own checker gives errors that name the stage and field, where a schema
// violation could only say "body/request/pipeline/3 must be object".
const aggregationEnvelope = Type.Object(
  {
    response: Type.Optional(
      Type.Unknown({ description: '{"mimeType": "application/json"}; anything else is refused' }),
    ),
    request: Type.Optional(
      Type.Unknown({ description: '{"name", "requestId", "pipeline": [{"source": …}, …]}' }),
    ),
    requests: Type.Optional(
      Type.Array(Type.Unknown(), { description: "The Pendo UI's form: exactly one request" }),
    ),
  },
  { additionalProperties: true },
);

// A bare list of stages is let through to be told how to wrap it, instead of "body must be object".
export const aggregationBody = Type.Union([
  aggregationEnvelope,
  Type.Array(Type.Unknown(), { description: "Refused with how to wrap it in a request" }),
]);

export const aggregationAnswer = Type.Object({
  startTime: Type.Number({ description: "When the aggregation started (epoch ms)" }),
  results: Type.Array(Type.Object({}, { additionalProperties: true })),
});

/**
 * `POST /api/v1/aggregation`: Pendo's aggregation language, compiled to one SQL statement on the event
 * store. A read, though a POST: read-only keys may call it.
 */
export function registerAggregationRoute(
  app: CairnApp,
  deps: AggregationDeps & { aggregationLimits?: AggregationLimits },
): void {
  const limits = deps.aggregationLimits ?? defaultAggregationLimits;
  app.post(
    "/api/v1/aggregation",
    {
      config: { readsOnly: true },
      schema: {
        summary: "Run an aggregation pipeline (a read: read-only keys too)",
        querystring: Type.Object({}, { additionalProperties: true }),
        body: aggregationBody,
        response: { 200: aggregationAnswer },
      },
    },
    async (request) => runAggregation(deps, subscriptionOf(request), request.body, limits),
  );
}
