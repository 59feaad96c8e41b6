import { type Static, Type } from "@sinclair/typebox";
import type { Selectable } from "kysely";
import type { ReportsTable } from "../../store/metadata/metadata-schema.js";
import type { PendoUser } from "../tagging/shared/pendo-user.js";
import { pendoUserSchema } from "../tagging/shared/pendo-user-schema.js";

/** A saved report in the shape of Pendo's versioned objects (pendo-api.md §3.6); the type derives from it. */
export const reportSchema = Type.Object({
  createdByUser: pendoUserSchema,
  createdAt: Type.Number({ description: "epoch ms" }),
  lastUpdatedByUser: pendoUserSchema,
  lastUpdatedAt: Type.Number({ description: "epoch ms" }),
  kind: Type.Literal("Report"),
  rootVersionId: Type.String({ description: "Cairn keeps no versions: the report's id" }),
  stableVersionId: Type.String({ description: "the report's id" }),
  id: Type.String(),
  name: Type.String(),
  type: Type.Literal("aggregation", { description: "what it runs: an aggregation request" }),
  shared: Type.Boolean({ description: "every report is visible to the whole subscription" }),
  aggregation: Type.Unknown({
    description: "the aggregation request it runs, as POST /api/v1/aggregation takes it",
  }),
});

export type PendoReport = Static<typeof reportSchema>;

export function reportShape(
  row: Selectable<ReportsTable>,
  userOf: (actorId: string) => PendoUser,
): PendoReport {
  return {
    createdByUser: userOf(row.created_by),
    createdAt: Date.parse(row.created_at),
    lastUpdatedByUser: userOf(row.updated_by),
    lastUpdatedAt: Date.parse(row.updated_at),
    kind: "Report",
    rootVersionId: row.id,
    stableVersionId: row.id,
    id: row.id,
    name: row.name,
    type: "aggregation",
    shared: true,
    aggregation: JSON.parse(row.aggregation) as unknown,
  };
}
