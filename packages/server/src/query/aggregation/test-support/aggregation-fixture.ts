import path from "node:path";
import type { Installation } from "../../../access/setup/ensure-installation.js";
import { testClickhouseUrl } from "../../../start/test-support/clickhouse-engine.js";
import { installedStore } from "../../../start/test-support/installed-store.js";
import { loadEvents } from "../../../start/test-support/load-events.js";
import { tempDir } from "../../../start/test-support/temp-dir.js";
import { openClickhouseEvents } from "../../../store/events/clickhouse/open-clickhouse-events.js";
import { openDuckdbEvents } from "../../../store/events/duckdb/open-duckdb-events.js";
import type { EventQuery } from "../../../store/events/event-query.js";
import type { EventEngine } from "../../../store/events/sql-dialect.js";
import type { StoredEvent } from "../../../store/events/stored-event.js";
import type { MetadataStore } from "../../../store/metadata/metadata-store.js";
import type { ProfilePatches } from "../../../store/profiles/profile-records.js";
import { openSqliteProfiles } from "../../../store/profiles/sqlite/open-sqlite-profiles.js";
import type { Definitions } from "../compile/definitions.js";
import { type AggregationLimits, runAggregation } from "../run/run-aggregation.js";

export interface AggregationFixture {
  readonly installation: Installation;
  readonly subscriptionId: string;
  readonly appId: string;
  readonly metadata: MetadataStore;
  readonly events: EventQuery;
  load(events: readonly StoredEvent[]): Promise<void>;
  /** Applies visitor and account changes to the profile store, as the loader does. */
  applyProfiles(patches: ProfilePatches): Promise<void>;
  /** Runs a request body the way the route does, at the fixture's fixed now. */
  aggregate(
    body: unknown,
    limits?: AggregationLimits,
  ): Promise<{ startTime: number; results: Record<string, unknown>[] }>;
  close(): Promise<void>;
}

/** The event engines every aggregation suite runs on. */
export const fixtureEngines: readonly EventEngine[] = ["duckdb", "clickhouse"];

/** 2026-11-20T12:00:00Z: the fixture's now. */
export const fixtureNow = Date.UTC(2026, 10, 20, 12);

/**
 * A real metadata store after first start and a real event store (DuckDB, or ClickHouse in this process), with
 * definitions given in code.
 */
export async function aggregationFixture(
  definitionsFor: (appId: string) => Definitions = () => ({ pages: [], features: [], trackTypes: [] }),
  options: { readonly engine?: EventEngine } = {},
): Promise<AggregationFixture> {
  const { store, installation } = await installedStore();
  const dir = tempDir("aggregation");
  const opened =
    options.engine === "clickhouse"
      ? await openClickhouseEvents(testClickhouseUrl("aggregation"))
      : await openDuckdbEvents(path.join(dir, "events.duckdb"));
  await opened.sink.migrate();
  const profiles = openSqliteProfiles(path.join(dir, "profiles.sqlite"));
  await profiles.migrate();
  let sequence = 0;
  const subscriptionId = installation.subscription.id;
  const definitions = definitionsFor(installation.app.id);
  return {
    installation,
    subscriptionId,
    appId: installation.app.id,
    metadata: store,
    events: opened.query,
    load: (events) => loadEvents(opened.sink, events, ++sequence),
    applyProfiles: (patches) => profiles.apply({ patches, sequence: ++sequence }),
    aggregate: (body, limits) =>
      runAggregation(
        {
          metadata: store,
          events: opened.query,
          definitions: async () => definitions,
          syncProfiles: () => opened.profileMirror.sync(profiles),
        },
        subscriptionId,
        body,
        limits,
        fixtureNow,
      ),
    async close() {
      await opened.sink.close();
      await profiles.close();
      await store.close();
    },
  };
}
