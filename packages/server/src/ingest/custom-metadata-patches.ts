import type { CustomMetadataPatch, MetadataValue } from "../store/profiles/profile-records.js";

/**
 * Custom-metadata patches with each target once, in order: a later patch's value of a field wins (its null
 * included, so the field ends removed), as if the patches had been applied one after the other.
 */
export function mergeCustomMetadata(patches: readonly CustomMetadataPatch[]): CustomMetadataPatch[] {
  const merged = new Map<string, CustomMetadataPatch>();
  for (const patch of patches) {
    const key = `${patch.subscriptionId}\u0000${patch.kind}\u0000${patch.id}`;
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, patch);
      continue;
    }
    const values: Record<string, MetadataValue | null> = { ...seen.values };
    // defineProperty, not assignment: a field named "__proto__" stays a field.
    for (const [name, value] of Object.entries(patch.values)) {
      Object.defineProperty(values, name, { value, enumerable: true, writable: true, configurable: true });
    }
    merged.set(key, { ...seen, values });
  }
  return [...merged.values()];
}
