import { readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * For a sink that deduplicates a load by its last sequence rather than by its rows (ClickHouse's insert
 * deduplication token, `EventSink.exactReplay`): the last sequence of the batch handed to it whose outcome is
 * not known yet, kept beside the log. After a crash or an unclear failure the next load must be that same
 * batch, cut at that sequence, so a repeat of rows already stored carries the same token and is dropped.
 */
export interface BatchInFlight {
  /** The batch's last sequence, or null when none is outstanding. */
  current(): number | null;
  /** Durable before the batch is handed to the sink. */
  begin(last: number): Promise<void>;
  /** The sink said for sure that it stored nothing: the next load may be cut anywhere. */
  clear(): void;
}

export function batchInFlight(logDir: string): BatchInFlight {
  const file = path.join(logDir, "sink-batch");
  let last: number | null = null;
  try {
    const saved = Number(readFileSync(file, "utf8"));
    if (Number.isSafeInteger(saved) && saved > 0) last = saved;
  } catch {
    // none yet
  }
  return {
    current: () => last,
    async begin(sequence) {
      if (last === sequence) return;
      // Written aside and renamed, so a crash mid-write leaves the previous value, never a torn one.
      await writeFile(`${file}.next`, String(sequence), { flush: true });
      await rename(`${file}.next`, file);
      last = sequence;
    },
    clear() {
      last = null;
    },
  };
}
