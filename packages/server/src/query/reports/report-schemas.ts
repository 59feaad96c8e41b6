import { Type } from "@sinclair/typebox";
import { reportLimits } from "./report-service.js";

const name = Type.String({ maxLength: reportLimits.nameLength * 2 });
const aggregation = Type.Unknown({
  description: 'an aggregation request as POST /api/v1/aggregation takes it: {"request": {"pipeline": […]}}',
});

export const reportIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

export const createReportBody = Type.Object({ name, aggregation }, { additionalProperties: false });

export const updateReportBody = Type.Object(
  { name: Type.Optional(name), aggregation: Type.Optional(aggregation) },
  { additionalProperties: false },
);

export const reportRows = Type.Array(Type.Object({}, { additionalProperties: true }), {
  description: "the aggregation's results, as the results array of POST /api/v1/aggregation",
});

export const reportCsv = Type.String({
  description: "text/csv: a header of dotted field names (metadata.auto.lastvisit), then a line per row",
});
