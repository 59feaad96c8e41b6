import { compress } from "../jzb/compress.js";

/** The longest jzb sent as a GET query; longer batches are POSTed (agent-wire.md §4). */
export const maxGetLength = 1900;
/** The longest jzb sent at all; bigger batches are halved until they fit. */
export const maxJzbLength = 65536;

/**
 * Groups events into batches the way Pendo's `filterSiloCapacity` does: a batch closes when the summed
 * JSON length, divided by 2.5 / 3.75 / 5 for 1 / 2 / ≥3 events (an estimate of the compression), would
 * pass 1900 characters.
 */
export function packEvents<T>(events: readonly T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let length = 0;
  for (const event of events) {
    const eventLength = JSON.stringify(event).length;
    const count = current.length + 1;
    const estimate = (length + eventLength) / (count === 1 ? 2.5 : count === 2 ? 3.75 : 5);
    if (current.length > 0 && estimate > maxGetLength) {
      batches.push(current);
      current = [];
      length = 0;
    }
    current.push(event);
    length += eventLength;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Encodes a batch, halving it while its jzb is longer than 64 KiB. A single event that large is
 * dropped (Pendo reports it to `/data/errorlog`; Cairn's agent does not).
 */
export function encodeBatch<T>(events: readonly T[]): string[] {
  const jzb = compress(events);
  if (jzb.length <= maxJzbLength) return [jzb];
  if (events.length < 2) return [];
  const half = Math.ceil(events.length / 2);
  return [...encodeBatch(events.slice(0, half)), ...encodeBatch(events.slice(half))];
}
