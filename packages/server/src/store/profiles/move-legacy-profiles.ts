import type { LegacyProfiles } from "./legacy-profiles.js";
import type { ProfileStore } from "./profile-store.js";

const batchSize = 10_000;

/**
 * Moves the profiles an older release kept in the event store into the profile store, once: while the old
 * tables are still there and the profile store has applied nothing from this ingest log. A record already in
 * the profile store is kept, so a move cut short by a crash is simply done again. The checkpoint becomes the
 * event store's, since the old layout applied profiles in the same transaction as events. Then the old tables
 * go.
 */
export async function moveLegacyProfiles(
  legacy: LegacyProfiles,
  profiles: ProfileStore,
  eventsLoadedSequence: number,
  onProgress: (copied: number) => void = () => {},
): Promise<number> {
  if (!(await legacy.present())) return 0;
  let copied = 0;
  if ((await profiles.loadedSequence()) === 0) {
    for await (const batch of legacy.batches(batchSize)) {
      await profiles.importSnapshot(batch, 0);
      copied += batch.visitors.length + batch.accounts.length + batch.aliases.length;
      onProgress(copied);
    }
    await profiles.importSnapshot({ visitors: [], accounts: [], aliases: [] }, eventsLoadedSequence);
  }
  await legacy.drop();
  return copied;
}
