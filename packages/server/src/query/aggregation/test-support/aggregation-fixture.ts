import path from "node:path";
import type { Installation } from "../../../access/setup/ensure-installation.js";
import { openDuckdbEvents } from "../../../store/events/duckdb/open-duckdb-events.js";
import type { EventQuery } from "../../../store/events/event-query.js";
import type { StoredEvent } from "../../../store/events/stored-event.js";
import type { MetadataStore } from "../../../store/metadata/metadata-store.js";
import { installedStore } from "../../../test-support/installed-store.js";
import { loadEvents } from "../../../test-support/load-events.js";
import { tempDir } from "../../../test-support/temp-dir.js";
import type { Definitions } from "../compile/definitions.js";
import { type AggregationLimits, runAggregation } from "../run/run-aggregation.js";

export interface AggregationFixture {
  readonly installation: Installation;
  readonly subscriptionId: string;
  readonly appId: string;
  readonly metadata: MetadataStore;
  readonly events: EventQuery;
  load(events: readonly StoredEvent[]): Promise<void>;
  /** Runs a request body the way the route does, at the fixture's fixed now. */
  aggregate(
    body: unknown,
    limits?: AggregationLimits,
  ): Promise<{ startTime: number; results: Record<string, unknown>[] }>;
  close(): Promise<void>;
}

/** 2026-11-20T12:00:00Z: the fixture's now. */
export const fixtureNow = Date.UTC(2026, 10, 20, 12);

/** A real metadata store after first start and a real DuckDB event store, with definitions given in code. */
export async function aggregationFixture(
  definitionsFor: (appId: string) => Definitions = () => ({ pages: [], features: [], trackTypes: [] }),
): Promise<AggregationFixture> {
  const { store, installation } = await installedStore();
  const opened = await openDuckdbEvents(path.join(tempDir("aggregation"), "events.duckdb"));
  await opened.sink.migrate();
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
    aggregate: (body, limits) =>
      runAggregation(
        { metadata: store, events: opened.query, definitions: async () => definitions },
        subscriptionId,
        body,
        limits,
        fixtureNow,
      ),
    async close() {
      await opened.sink.close();
      await store.close();
    },
  };
}
