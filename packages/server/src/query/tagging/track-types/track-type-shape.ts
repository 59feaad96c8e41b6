import type { Selectable } from "kysely";
import type { TrackTypesTable } from "../../../store/metadata/metadata-schema.js";
import type { PendoUser } from "../shared/pendo-user.js";
import { type VersionedHeader, versionedHeader } from "../shared/versioned-header.js";

/** A track type in Pendo's object shape (pendo-api.md §3.6), every field present. */
export interface PendoTrackType extends VersionedHeader {
  readonly color: string;
  readonly group: null;
  readonly dirty: boolean;
  /** The name track events of this type carry (`pendo.track(name)`, `event` of `POST /data/track`). */
  readonly trackTypeName: string;
  readonly trackTypeRules: readonly string[];
  readonly eventPropertyNameList: readonly string[];
}

export function trackTypeShape(
  row: Selectable<TrackTypesTable>,
  userOf: (actorId: string) => PendoUser,
): PendoTrackType {
  return {
    ...versionedHeader("TrackType", row, userOf),
    color: "",
    group: null,
    dirty: false,
    trackTypeName: row.track_type_name,
    trackTypeRules: JSON.parse(row.track_type_rules) as string[],
    eventPropertyNameList: JSON.parse(row.event_property_name_list) as string[],
  };
}
