import { existsSync } from "node:fs";
import type { CairnConfig } from "../../../platform/config/load-config.js";
import { EventStoreLockedError } from "../../../platform/errors/environment-errors.js";
import type { MetadataStore } from "../../../store/metadata/metadata-store.js";
import { openEventStores } from "../../../store/open-stores.js";
import { type DiscoveryOutcome, discoverTrackTypes } from "./discover-track-types.js";

/**
 * Discovery from the command line, which opens the event store itself. The embedded store admits one process:
 * while `cairn start` holds it, this answers why it could not look (the server discovers on its own lists).
 */
export async function discoverFromCli(
  config: CairnConfig,
  metadata: MetadataStore,
  subscriptionId: string,
): Promise<DiscoveryOutcome | { skipped: string }> {
  if (config.events.engine === "duckdb" && !existsSync(config.events.file))
    return { skipped: "no events yet" };
  let stores: Awaited<ReturnType<typeof openEventStores>>;
  try {
    stores = await openEventStores(config.events);
  } catch (error) {
    if (error instanceof EventStoreLockedError) {
      return {
        skipped:
          "the event store is open in `cairn start`, so track events received lately may have no track type here yet; the server adds them when its API lists track types (GET /api/v1/tracktype)",
      };
    }
    throw error;
  }
  try {
    return await discoverTrackTypes(metadata, stores.query, subscriptionId);
  } finally {
    await stores.sink.close();
  }
}
