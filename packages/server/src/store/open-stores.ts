import type { EventsTarget, MetadataTarget } from "../platform/config/store-url.js";
import { EngineNotAvailableError } from "../platform/errors/environment-errors.js";
import type { EventStore } from "./events/event-store.js";
import type { MetadataStore } from "./metadata/metadata-store.js";

// Drivers load lazily, so an embedded install never loads a server driver and the other way round.
export async function openMetadataStore(target: MetadataTarget): Promise<MetadataStore> {
  switch (target.engine) {
    case "sqlite": {
      const { openSqliteStore } = await import("./metadata/sqlite/open-sqlite-store.js");
      return openSqliteStore(target.file);
    }
    case "postgres":
      throw new EngineNotAvailableError("CAIRN_METADATA_URL", "PostgreSQL");
  }
}

export async function openEventStore(target: EventsTarget): Promise<EventStore> {
  switch (target.engine) {
    case "duckdb": {
      const { openDuckdbStore } = await import("./events/duckdb/open-duckdb-store.js");
      return openDuckdbStore(target.file);
    }
    case "clickhouse":
      throw new EngineNotAvailableError("CAIRN_EVENTS_URL", "ClickHouse");
  }
}
