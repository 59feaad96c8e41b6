import { rowsAsJsonArray, rowsFromParsedArray } from "../store/events/event-rows.js";
import type { ProfilePatches } from "../store/profiles/profile-records.js";
import type { LogRecord } from "./ingest-log.js";
import type { BeaconContext } from "./prepare-batch.js";

/** Events ready for the log: newline-delimited event rows, how many, and the visitor/account changes they make. */
export interface PreparedEvents {
  readonly rows: string;
  readonly count: number;
  readonly profiles: ProfilePatches;
}

/**
 * A record to log: a raw beacon, or events prepared by the caller. A beacon's `inflated` jzb, when the route
 * had it, travels in memory to the prepare worker and is never logged.
 */
export type NewRecord =
  | { readonly count: number; readonly beacon: BeaconContext; readonly inflated?: Uint8Array }
  | { readonly count: number; readonly prepared: PreparedEvents };

/** A record in the log, waiting to be loaded. */
export type LoggedRecord = NewRecord & { readonly sequence: number };

/**
 * Log records are `{"b":<beacon context>,"n":<events>}` or `{"p":<profile patches>,"e":<event rows>}`; the
 * v1 API's custom metadata is the latter with `p.customMetadata` and no rows (`"e":[]`).
 */
export function recordText(record: NewRecord): string {
  return "beacon" in record
    ? `{"b":${JSON.stringify(record.beacon)},"n":${record.count}}`
    : `{"p":${JSON.stringify(record.prepared.profiles)},"e":${rowsAsJsonArray(record.prepared.rows)}}`;
}

export function decodeRecord(record: LogRecord): LoggedRecord {
  const payload = JSON.parse(record.payload.toString("utf8")) as
    | { b: BeaconContext; n: number }
    | { p: ProfilePatches; e: unknown[] };
  if ("b" in payload) return { sequence: record.sequence, count: payload.n, beacon: payload.b };
  const prepared = { rows: rowsFromParsedArray(payload.e), count: payload.e.length, profiles: payload.p };
  return { sequence: record.sequence, count: prepared.count, prepared };
}
