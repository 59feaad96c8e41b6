import type { ProfileSnapshot } from "./profile-store.js";

/** Profiles an older layout kept in the event store, read once to move them into the profile store. */
export interface LegacyProfiles {
  /** Whether the old tables are still there. */
  present(): Promise<boolean>;
  batches(size: number): AsyncIterable<ProfileSnapshot>;
  drop(): Promise<void>;
}
