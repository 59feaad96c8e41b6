import type { Selectable } from "kysely";
import type { FeaturesTable } from "../../../store/metadata/metadata-schema.js";
import type { PendoUser } from "../shared/pendo-user.js";
import { type VersionedHeader, versionedHeader } from "../shared/versioned-header.js";

/** A feature in Pendo's object shape (pendo-api.md §3.6), every field present. */
export interface PendoFeature extends VersionedHeader {
  readonly color: string;
  readonly group: null;
  readonly dirty: boolean;
  /** The page it was tagged on; null for a feature of the whole app. */
  readonly pageId: string | null;
  /** Clicks on any page count (always true without a pageId). */
  readonly appWide: boolean;
  readonly isCoreEvent: boolean;
  /** The CSS selectors as written. */
  readonly elementPathRules: readonly string[];
  readonly eventPropertyConfigurations: readonly never[];
  readonly isSuggested: boolean;
}

export function featureShape(
  row: Selectable<FeaturesTable>,
  userOf: (actorId: string) => PendoUser,
): PendoFeature {
  return {
    ...versionedHeader("Feature", row, userOf),
    color: "",
    group: null,
    dirty: false,
    pageId: row.page_id,
    appWide: row.app_wide === 1,
    isCoreEvent: false,
    elementPathRules: JSON.parse(row.element_path_rules) as string[],
    eventPropertyConfigurations: [],
    isSuggested: false,
  };
}
