import { eventColumns } from "../events/event-columns.js";
import type { EventQuery } from "../events/event-query.js";
import { eventRowsNdjson } from "../events/event-rows.js";
import type { CompiledQuery } from "../events/sql-dialect.js";
import type { StoredEvent } from "../events/stored-event.js";
import type { ManifestFile } from "./manifest.js";
import { progressLine } from "./progress-lines.js";
import { RowsFileSeries } from "./rows-files.js";

const pageSize = 20_000;

/** Where the previous page ended: events are paged in (received time, event id) order. */
interface PageEnd {
  readonly receivedAt: number;
  readonly eventId: string;
}

function compilePage(query: EventQuery, upTo: number, after: PageEnd | null): CompiledQuery {
  const d = query.dialect;
  // The column itself is compared with time literals, so an engine skips the blocks of pages already read by
  // their min/max times (events are stored about in the order received) instead of scanning every event.
  const received = d.ident("received_at");
  const at = (ms: number) => d.timestampOf(d.number(ms));
  const columns = eventColumns
    .map((c) => `${c.time ? d.epochMs(d.ident(c.name)) : d.ident(c.name)} AS ${d.ident(c.field)}`)
    .join(", ");
  const params: Record<string, string> = {};
  let where = `${received} <= ${at(upTo)}`;
  if (after) {
    params.after = after.eventId;
    where += ` AND (${received} > ${at(after.receivedAt)} OR (${received} = ${at(after.receivedAt)} AND ${d.ident("event_id")} > ${d.param("after", "string")}))`;
  }
  return {
    engine: d.engine,
    sql: `SELECT ${columns} FROM events WHERE ${where} ORDER BY ${received}, ${d.ident("event_id")} LIMIT ${pageSize}`,
    params,
  };
}

export async function countEventsUpTo(query: EventQuery, upTo: number | null): Promise<number> {
  const d = query.dialect;
  const where = upTo === null ? "" : ` WHERE ${d.epochMs(d.ident("received_at"))} <= ${d.number(upTo)}`;
  const [row] = await query.run<{ n: number | bigint }>({
    engine: d.engine,
    sql: `SELECT count(*) AS n FROM events${where}`,
    params: {},
  });
  return Number(row?.n ?? 0);
}

/** An event as read back, with every field in the type the rows format writes (engines differ in what they answer). */
function normalized(row: StoredEvent): StoredEvent {
  return {
    ...row,
    occurredAt: Number(row.occurredAt),
    receivedAt: Number(row.receivedAt),
    isBot: Boolean(row.isBot),
    excluded: Boolean(row.excluded),
    unsignedIdentity: Boolean(row.unsignedIdentity),
    properties: typeof row.properties === "string" ? row.properties : JSON.stringify(row.properties ?? {}),
  };
}

/** Every event received up to `upTo` (epoch ms), in the rows format the event store loads, `rowsPerFile` a file. */
export async function exportEvents(
  query: EventQuery,
  dir: string,
  upTo: number,
  rowsPerFile: number,
  report: (line: string) => void,
): Promise<ManifestFile[]> {
  const total = await countEventsUpTo(query, upTo);
  const progress = progressLine("exporting events", total, report);
  const series = new RowsFileSeries(dir, "events/events", rowsPerFile);
  let after: PageEnd | null = null;
  let done = 0;
  progress.at(0, true);
  for (;;) {
    const page = (await query.run<StoredEvent>(compilePage(query, upTo, after))).map(normalized);
    if (page.length === 0) break;
    await series.addAll(eventRowsNdjson(page).split("\n"));
    const last = page[page.length - 1] as StoredEvent;
    after = { receivedAt: last.receivedAt, eventId: last.eventId };
    done += page.length;
    progress.at(done);
  }
  progress.at(done, true);
  return (await series.finish()).map((f) => ({ ...f, kind: "events" as const }));
}
