/** Worker-thread entry for prepare-pool.ts: Piscina calls the default export with a chunk of logged beacons. */
import { type PreparedBatch, type PrepareTask, prepareEach } from "./prepare-batch.js";

// biome-ignore lint/style/noDefaultExport: Piscina runs a worker module's default export.
export default function prepare(task: PrepareTask): PreparedBatch[] {
  // The time limit runs from here: thread start, module loading and the queue are not the task's doing.
  // (The pool closes the channel once the task settles.)
  task.started?.postMessage(0);
  return prepareEach(task.contexts, task.inflated, task.doNotProcess);
}
