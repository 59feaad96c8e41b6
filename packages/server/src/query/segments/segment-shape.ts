import { type Static, Type } from "@sinclair/typebox";
import type { Selectable } from "kysely";
import type { SegmentsTable } from "../../store/metadata/metadata-schema.js";
import type { PendoUser } from "../tagging/shared/pendo-user.js";
import { pendoUserSchema } from "../tagging/shared/pendo-user-schema.js";
import { type SegmentRule, segmentRuleSchema } from "./segment-rule.js";

/** A segment in Pendo's object shape (pendo-api.md §3.5), every field present; the type derives from it. */
export const segmentSchema = Type.Object({
  createdByUser: pendoUserSchema,
  createdAt: Type.Number({ description: "epoch ms" }),
  lastUpdatedByUser: pendoUserSchema,
  lastUpdatedAt: Type.Number({ description: "epoch ms" }),
  kind: Type.Literal("Segment"),
  rootVersionId: Type.String({ description: "Cairn keeps no versions: the segment's id" }),
  stableVersionId: Type.String({ description: "the segment's id" }),
  id: Type.String(),
  name: Type.String(),
  createdByApi: Type.Boolean({ description: "created through the v1 API (not the admin API or the CLI)" }),
  definition: Type.Object(
    { kind: Type.Literal("visitorList") },
    { description: "how its visitors are chosen: a list of ids, uploaded and patched" },
  ),
  pipeline: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
    description: "an aggregation pipeline giving its visitors that have visited (or were created)",
  }),
  dependentMetadata: Type.Array(Type.String(), { description: "metadata fields it depends on: none" }),
  isFocusGroup: Type.Boolean(),
  visitorCount: Type.Number({ description: "how many visitor ids it holds" }),
  rule: Type.Union([segmentRuleSchema, Type.Null()], {
    description:
      "Cairn's own: the conditions its visitors were chosen by (a snapshot, refreshed on demand), null for a list of ids",
  }),
});

export type PendoSegment = Static<typeof segmentSchema>;

export function segmentShape(
  row: Selectable<SegmentsTable>,
  userOf: (actorId: string) => PendoUser,
): PendoSegment {
  return {
    createdByUser: userOf(row.created_by),
    createdAt: Date.parse(row.created_at),
    lastUpdatedByUser: userOf(row.updated_by),
    lastUpdatedAt: Date.parse(row.updated_at),
    kind: "Segment",
    rootVersionId: row.id,
    stableVersionId: row.id,
    id: row.id,
    name: row.name,
    createdByApi: row.created_by_api === 1,
    definition: { kind: "visitorList" },
    pipeline: [{ source: { visitors: null } }, { segment: { id: row.id } }],
    dependentMetadata: [],
    isFocusGroup: false,
    visitorCount: row.visitor_count,
    rule: row.rule === null ? null : (JSON.parse(row.rule) as SegmentRule as PendoSegment["rule"]),
  };
}
