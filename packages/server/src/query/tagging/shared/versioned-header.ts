import type { PendoUser } from "./pendo-user.js";

export type TaggedKind = "Page" | "Feature" | "TrackType";

/** The fields every versioned object of Pendo's starts with (pendo-api.md §3.6), in that order. */
export interface VersionedHeader {
  readonly createdByUser: PendoUser;
  readonly createdAt: number;
  readonly lastUpdatedByUser: PendoUser;
  readonly lastUpdatedAt: number;
  readonly kind: TaggedKind;
  /** Cairn keeps no versions: both are the object's id. */
  readonly rootVersionId: string;
  readonly stableVersionId: string;
  readonly id: string;
  readonly name: string;
  readonly appId: string;
  readonly appIds: readonly string[];
}

interface HeaderRow {
  readonly id: string;
  readonly app_id: string;
  readonly name: string;
  readonly created_at: string;
  readonly created_by: string;
  readonly updated_at: string;
  readonly updated_by: string;
}

export function versionedHeader(
  kind: TaggedKind,
  row: HeaderRow,
  userOf: (actorId: string) => PendoUser,
): VersionedHeader {
  return {
    createdByUser: userOf(row.created_by),
    createdAt: Date.parse(row.created_at),
    lastUpdatedByUser: userOf(row.updated_by),
    lastUpdatedAt: Date.parse(row.updated_at),
    kind,
    rootVersionId: row.id,
    stableVersionId: row.id,
    id: row.id,
    name: row.name,
    appId: row.app_id,
    appIds: [row.app_id],
  };
}
