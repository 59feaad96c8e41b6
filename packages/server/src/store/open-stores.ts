import path from "node:path";
import type { EventsTarget, MetadataTarget } from "../platform/config/store-url.js";
import type { EventQuery } from "./events/event-query.js";
import type { EventSink } from "./events/event-sink.js";
import type { ProfileMirror } from "./events/profile-mirror.js";
import type { MetadataStore } from "./metadata/metadata-store.js";
import type { LegacyProfiles } from "./profiles/legacy-profiles.js";
import type { ProfileStore, ProfileStoreOptions } from "./profiles/profile-store.js";

// Drivers load lazily, so an embedded install never loads a server driver and the other way round.
export async function openMetadataStore(target: MetadataTarget): Promise<MetadataStore> {
  switch (target.engine) {
    case "sqlite": {
      const { openSqliteStore } = await import("./metadata/sqlite/open-sqlite-store.js");
      return openSqliteStore(target.file);
    }
    case "postgres": {
      const { openPostgresStore } = await import("./metadata/postgres/open-postgres-store.js");
      return openPostgresStore(target.url);
    }
  }
}

export interface EventStores {
  readonly sink: EventSink;
  /** Closed with the sink. */
  readonly query: EventQuery;
  /** The profiles copied beside the events for queries that join them; synced before such a query, closed with the sink. */
  readonly profileMirror: ProfileMirror;
  /** Profiles that an older release kept in the event store, if this engine ever did. */
  readonly legacyProfiles: LegacyProfiles | null;
}

/**
 * `log` names this server's ingest log: a server engine shared by several servers keeps a checkpoint per log
 * (the embedded engine has one server, and one log).
 */
export async function openEventStores(
  target: EventsTarget,
  options: { log?: string } = {},
): Promise<EventStores> {
  switch (target.engine) {
    case "duckdb": {
      const { openDuckdbEvents } = await import("./events/duckdb/open-duckdb-events.js");
      return openDuckdbEvents(target.file);
    }
    case "clickhouse": {
      const { openClickhouseEvents } = await import("./events/clickhouse/open-clickhouse-events.js");
      return { ...(await openClickhouseEvents(target.url, options)), legacyProfiles: null };
    }
  }
}

export type ProfilesTarget = { engine: "sqlite"; file: string } | { engine: "postgres"; url: string };

/**
 * Profiles live with the metadata: beside an SQLite metadata file in their own `profiles.sqlite` (so the
 * loader's writes never hold the metadata database's lock), or in the PostgreSQL metadata database (tables
 * prefixed `profile_`), so every server sharing it sees the same visitors, accounts, aliases and guide step
 * states. A `profiles.sqlite` that an earlier release kept in the data folder beside PostgreSQL metadata is
 * not moved (see `legacyProfilesFileOf`).
 */
export function profilesTargetOf(config: { readonly metadata: MetadataTarget }): ProfilesTarget {
  const { metadata } = config;
  return metadata.engine === "sqlite"
    ? { engine: "sqlite", file: path.join(path.dirname(metadata.file), "profiles.sqlite") }
    : { engine: "postgres", url: metadata.url };
}

/**
 * The `profiles.sqlite` that releases before the PostgreSQL profile store kept in the data folder when the
 * metadata was on PostgreSQL; null when the metadata is on SQLite (there it is still the profile store).
 */
export function legacyProfilesFileOf(config: {
  readonly metadata: MetadataTarget;
  readonly dataDir: string;
}): string | null {
  return config.metadata.engine === "postgres" ? path.join(config.dataDir, "profiles.sqlite") : null;
}

export async function openProfileStore(
  target: ProfilesTarget,
  options: ProfileStoreOptions = {},
): Promise<ProfileStore> {
  switch (target.engine) {
    case "sqlite": {
      const { openSqliteProfiles } = await import("./profiles/sqlite/open-sqlite-profiles.js");
      return openSqliteProfiles(target.file, options);
    }
    case "postgres": {
      const { openPostgresProfiles } = await import("./profiles/postgres/open-postgres-profiles.js");
      return openPostgresProfiles(target.url, options);
    }
  }
}
