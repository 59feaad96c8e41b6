import type { ProfileKind } from "../../store/profiles/profile-records.js";
import type { ProfileStore } from "../../store/profiles/profile-store.js";
import { mergeCustomMetadata } from "../custom-metadata-patches.js";
import type { IngestWriter } from "../ingest-writer.js";
import type { MetadataEntry } from "./metadata-input.js";

/** Pendo's answer to a metadata write. */
export interface SetOutcome {
  readonly total: number;
  readonly updated: number;
  /** Always 0: an entry Cairn cannot apply refuses the whole request (400) instead. */
  readonly failed: number;
  /** Ids not found (and not created, without `create=true`), each once. */
  readonly missing: string[];
}

export interface SetCustomMetadata {
  readonly subscriptionId: string;
  readonly kind: ProfileKind;
  readonly entries: readonly MetadataEntry[];
  /** `?create=true`: unknown ids are created instead of listed as missing. */
  readonly create: boolean;
}

/**
 * Sets values of the `custom` group through the ingest writer (so the loader stays the profile store's only
 * writer); resolves once they are durable and loaded, so a read right after sees them. A visitor or account
 * is known once its first events are loaded: one whose events still wait in the ingest log counts as missing.
 */
export async function setCustomMetadata(
  stores: { profiles: ProfileStore; writer: IngestWriter },
  request: SetCustomMetadata,
): Promise<SetOutcome> {
  const { subscriptionId, kind, entries, create } = request;
  const ids = [...new Set(entries.map((e) => e.id))];
  const known = create ? new Set(ids) : await stores.profiles.knownIds(subscriptionId, kind, ids);
  const applied = entries.filter((e) => known.has(e.id));
  await stores.writer.writeCustomMetadata(
    mergeCustomMetadata(applied.map((e) => ({ subscriptionId, kind, id: e.id, values: e.values }))),
  );
  return {
    total: entries.length,
    updated: applied.length,
    failed: 0,
    missing: ids.filter((id) => !known.has(id)),
  };
}
