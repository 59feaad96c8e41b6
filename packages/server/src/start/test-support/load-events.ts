import { eventRowsNdjson, rowsBytes } from "../../store/events/event-rows.js";
import type { EventSink } from "../../store/events/event-sink.js";
import type { StoredEvent } from "../../store/events/stored-event.js";

/** Loads events as the loader does: encoded as rows, under one log sequence. */
export function loadEvents(sink: EventSink, events: readonly StoredEvent[], sequence: number): Promise<void> {
  return sink.load({ rows: [rowsBytes(eventRowsNdjson(events))], sequence });
}
