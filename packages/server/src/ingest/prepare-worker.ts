/** Worker-thread entry for prepare-pool.ts: Piscina calls the default export with a chunk of logged beacons. */
import { type PreparedBatch, type PrepareTask, prepareEach } from "./prepare-batch.js";

// biome-ignore lint/style/noDefaultExport: Piscina runs a worker module's default export.
export default function prepare(task: PrepareTask): PreparedBatch[] {
  return prepareEach(task.contexts, task.inflated);
}
