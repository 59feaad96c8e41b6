import type { Selectable } from "kysely";
import type { PagesTable } from "../../../store/metadata/metadata-schema.js";
import type { PendoUser } from "../shared/pendo-user.js";
import { type VersionedHeader, versionedHeader } from "../shared/versioned-header.js";
import { parsedRuleOf } from "./page-rule.js";

/** A rule as stored: as written, with the designer's hint and the compiled regexes (all must match). */
export interface StoredPageRule {
  readonly rule: string;
  readonly designerHint: string | null;
  readonly regexes: readonly string[];
}

/** A rule as Pendo shows it; `parsedRule` is the regexes as one JavaScript regex (page-rule.ts). */
export interface PendoPageRule {
  readonly rule: string;
  readonly designerHint: string | null;
  readonly parsedRule: string;
}

/** A page in Pendo's object shape (pendo-api.md §3.6), every field present. */
export interface PendoPage extends VersionedHeader {
  readonly color: string;
  readonly group: null;
  readonly dirty: boolean;
  readonly rules: readonly PendoPageRule[];
  readonly excludeRules: readonly PendoPageRule[];
  readonly isCoreEvent: boolean;
  readonly isSuggested: boolean;
  readonly suggestedTagRules: readonly never[];
}

export function storedRules(json: string): StoredPageRule[] {
  return JSON.parse(json) as StoredPageRule[];
}

function pendoRule(rule: StoredPageRule): PendoPageRule {
  return { rule: rule.rule, designerHint: rule.designerHint, parsedRule: parsedRuleOf(rule.regexes) };
}

export function pageShape(row: Selectable<PagesTable>, userOf: (actorId: string) => PendoUser): PendoPage {
  return {
    ...versionedHeader("Page", row, userOf),
    color: "",
    group: null,
    dirty: false,
    rules: storedRules(row.rules).map(pendoRule),
    excludeRules: storedRules(row.exclude_rules).map(pendoRule),
    isCoreEvent: false,
    isSuggested: false,
    suggestedTagRules: [],
  };
}
