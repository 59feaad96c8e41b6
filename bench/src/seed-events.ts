/**
 * Events generated straight into a running Cairn's event store, fast (one `INSERT … SELECT` over a range, then
 * the hourly rollups built in one pass, as after an import), and the pages and features that tag them, defined
 * through the v1 API. Shared by the benchmarks that need millions of stored events: aggregation, dashboard.
 */
import type { RunningCairn } from "@cairn/server";
import { createKey, setIntegrationKeysEnabled } from "@cairn/server/internals";

export type Row = Record<string, unknown>;

export const day = 86_400_000;

export interface EventsToGenerate {
  readonly events: number;
  readonly visitors: number;
  /** Each visitor keeps one account among this many. */
  readonly accounts: number;
  /** Epoch ms the events end before (the last 30 UTC days up to it, today included). */
  readonly now: number;
}

/** The first UTC day of the 30 the events are spread over. */
export function firstDayOf(now: number): number {
  return Math.floor(now / day) * day - 29 * day;
}

/**
 * Sessions of 30 events, 40 s apart, by a visitor (who keeps an account) at a random time over the last 30
 * days; a session moves through 3 sections (/section-N/item-M pages, 20 sections), clicks a few buttons
 * (BUTTON#btn-N, 50 buttons) and sends a couple of track events ("Event N", 20 names). 1% of visitors are on
 * the Exclude List. Gives the seconds it took, rollups included.
 */
export async function generateEvents(cairn: RunningCairn, what: EventsToGenerate): Promise<number> {
  const subscriptionId = cairn.installation.subscription.id;
  const appId = cairn.installation.app.id;
  const start = firstDayOf(what.now);
  const run = (sql: string, params: Record<string, string | number> = {}) =>
    cairn.events.run<Row>({ engine: cairn.events.dialect.engine, sql, params });
  const generated = performance.now();
  await run(
    `INSERT INTO events
     SELECT 'e' || i, $sub, $app,
       CASE WHEN i % 20 < 10 THEN 'load' WHEN i % 20 < 17 THEN 'click' WHEN i % 20 < 19 THEN 'track' ELSE 'focus' END,
       'visitor-' || (hash(s) % ${what.visitors}),
       'account-' || (hash(s) % ${what.visitors} % ${what.accounts}),
       make_timestamp(CAST($start + (hash(s * 17) % $minutes) * 60000 + (i % 30) * 40000 AS BIGINT) * 1000),
       make_timestamp(CAST($start + (hash(s * 17) % $minutes) * 60000 + (i % 30) * 40000 AS BIGINT) * 1000),
       'https://app.example.com/section-' || (hash(s * 7 + (i % 30) // 10) % 20) || '/item-' || (hash(s * 13 + (i % 30) // 5) % 10),
       NULL,
       CASE WHEN i % 20 BETWEEN 10 AND 16 THEN 'BUTTON#btn-' || (hash(s * 3 + (i % 30) // 6) % 50) || '.btn < DIV#panel-' || (hash(s * 5) % 5) || ' < BODY' END,
       CASE WHEN i % 20 BETWEEN 17 AND 18 THEN 'Event ' || (hash(s * 11 + i % 2) % 20) END,
       '203.0.113.' || (hash(s) % 200), 'Mozilla/5.0 (X11; Linux x86_64) Chrome/150.0',
       FALSE, hash(s) % 100 = 0, NULL, '{}', FALSE
     FROM (SELECT i, i // 30 AS s FROM range($n) t(i))`,
    {
      sub: subscriptionId,
      app: appId,
      start,
      minutes: Math.floor((what.now - start) / 60_000) - 30,
      n: what.events,
    },
  );
  // Events put straight into the table, not loaded: their rollups are built in one pass, as an import's are.
  await cairn.sink.rebuildRollups();
  await run("CHECKPOINT");
  return (performance.now() - generated) / 1000;
}

export type IntegrationApi = (method: string, route: string, body?: unknown) => Promise<Row>;

/** The v1 API over HTTP with a new read-write integration key (integration keys turned on for it). */
export async function integrationApi(cairn: RunningCairn): Promise<{ api: IntegrationApi; key: string }> {
  const db = cairn.metadata.db;
  const subscriptionId = cairn.installation.subscription.id;
  await setIntegrationKeysEnabled(db, { subscriptionId, enabled: true, actor: "bench" });
  const { key } = await createKey(db, {
    subscriptionId,
    kind: "integration",
    description: "bench",
    write: true,
    actor: "bench",
  });
  const headers = { "content-type": "application/json", "x-pendo-integration-key": key };
  const api: IntegrationApi = async (method, route, body) => {
    const response = await fetch(`${cairn.publicUrl}${route}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
    return JSON.parse(text) as Row;
  };
  return { api, key };
}

/** Pages "Section k" (every URL under /section-k/) and features "Button k" (`button#btn-k`), k from 0; their ids. */
export async function tagSectionsAndButtons(
  api: IntegrationApi,
  count: number,
): Promise<{ pages: string[]; features: string[] }> {
  const pages: string[] = [];
  for (let k = 0; k < count; k++)
    pages.push(
      (await api("POST", "/api/v1/page", { name: `Section ${k}`, rules: [`//*/section-${k}/**`] }))
        .id as string,
    );
  const features: string[] = [];
  for (let k = 0; k < count; k++)
    features.push(
      (await api("POST", "/api/v1/feature", { name: `Button ${k}`, elementPathRules: [`button#btn-${k}`] }))
        .id as string,
    );
  return { pages, features };
}
