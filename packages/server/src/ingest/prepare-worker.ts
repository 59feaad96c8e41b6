/** Worker-thread entry for prepare-pool.ts: Piscina calls the default export with a chunk of logged beacons. */
import { type BeaconContext, type PreparedBatch, prepareEach } from "./prepare-batch.js";

// biome-ignore lint/style/noDefaultExport: Piscina runs a worker module's default export.
export default function prepare(contexts: readonly BeaconContext[]): PreparedBatch[] {
  return prepareEach(contexts);
}
