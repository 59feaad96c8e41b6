/**
 * Past one machine, measured on this one: the ClickHouse event store (its current engine, 26.7, in-process
 * from the chdb package: no ClickHouse server can be installed here) against DuckDB, and one collector process
 * against two on shared stores.
 *
 * 1. Aggregations: BENCH_AGG_EVENTS events (default 10 M) generated in a DuckDB data folder as the aggregation
 *    benchmark does, moved into PostgreSQL + ClickHouse with `cairn export` and `cairn import` (timed); the
 *    aggregation benchmark's five questions through `POST /api/v1/aggregation` on a server on the original
 *    folder and on one on the imported stores, alternating, BENCH_ROUNDS times; both must give the same answers.
 * 2. Ingest: BENCH_INGEST_EVENTS events (default 1 M) as the loader hands them to the event store (`sink.load`
 *    of newline-delimited rows, 20,000 events a load), alternating engine by load, into fresh stores.
 * 3. Collector: the collector benchmark's server on PostgreSQL metadata and ClickHouse events, once as one
 *    process, once as two taking half the connections each; the same 8-event beacon, every acknowledgement
 *    checked against the store. ClickHouse here is the chdb engine behind ClickHouse's HTTP interface in a
 *    process of its own (the servers reach it over HTTP), on the same 2 cores as everything else.
 * 4. Acknowledgement: the collector on one server with CAIRN_ACKNOWLEDGE=logged against =stored.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig, type RunningCairn, startCairn } from "@cairn/server";
import {
  encodeJzb,
  eventRowsNdjson,
  openEventStores,
  rowsBytes,
  type StoredEvent,
} from "@cairn/server/internals";
import autocannon from "autocannon";
import { startChdbEndpoint } from "../../packages/server/src/start/test-support/chdb-endpoint-process.js";
import { testPostgresUrl } from "../../packages/server/src/start/test-support/postgres-cluster.js";
import { questionPipelines } from "./aggregation-questions.js";
import { startBenchServer } from "./bench-server.js";

const cliPath = fileURLToPath(new URL("../../packages/server/dist/cli/main.js", import.meta.url));

import { agentBatch } from "./collector.js";
import { generateEvents, integrationApi, type Row, tagSectionsAndButtons } from "./seed-events.js";
import { describeMachine, median } from "./stats.js";

const aggregationEvents = Number(process.env.BENCH_AGG_EVENTS ?? 10_000_000);
const ingestEvents = Number(process.env.BENCH_INGEST_EVENTS ?? 1_000_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 128);
const loadBatch = 20_000;

const progress = (line: string) => process.stderr.write(`  ${line}\n`);

/** chdb binds one folder per process: every ClickHouse store of this benchmark is a database in it. */
let chdbFolder = "";

/** `cairn <args>` (the built CLI) with these CAIRN_* settings; the seconds it took. */
async function cairnCli(args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let errors = "";
  child.stderr.on("data", (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`cairn ${args[0]} exited with ${code}: ${errors.slice(-2000)}`);
  return (performance.now() - started) / 1000;
}

async function aggregations(dir: string): Promise<string[]> {
  const original = path.join(dir, "original");
  const config = (flags: Record<string, string>) =>
    loadConfig({ port: "0", logLevel: "silent", ...flags }, {}, process.cwd());
  const first = await startCairn(config({ dataDir: original }));
  progress(`generating ${aggregationEvents.toLocaleString("en")} events in DuckDB…`);
  const now = Date.now();
  await generateEvents(first, { events: aggregationEvents, visitors: 20_000, accounts: 2000, now });
  const { api, key } = await integrationApi(first);
  const { pages, features } = await tagSectionsAndButtons(api, 10);
  // Listing track types creates one per track event name (discovery), so the export carries them.
  await api("GET", "/api/v1/tracktype");
  await first.shutdown();

  // The data folder moves to PostgreSQL + ClickHouse the way a team would: cairn export, then cairn import.
  const exported = path.join(dir, "export");
  progress("cairn export…");
  const exportSeconds = await cairnCli(["export", exported], { CAIRN_DATA_DIR: original });
  const serverStores = {
    CAIRN_METADATA_URL: await testPostgresUrl("scale_import"),
    CAIRN_EVENTS_URL: `chdb:${chdbFolder}?database=cairn`,
    CAIRN_DATA_DIR: path.join(dir, "imported"),
  };
  progress("cairn import into PostgreSQL + ClickHouse…");
  const importSeconds = await cairnCli(["import", exported], serverStores);

  const duck = await startCairn(config({ dataDir: original }));
  let click: RunningCairn | null = null;
  try {
    click = await startCairn(
      config({
        dataDir: serverStores.CAIRN_DATA_DIR,
        metadataUrl: serverStores.CAIRN_METADATA_URL,
        eventsUrl: serverStores.CAIRN_EVENTS_URL,
      }),
    );
    const ask = async (server: RunningCairn, pipeline: unknown[]): Promise<Row[]> => {
      const response = await fetch(`${server.publicUrl}/api/v1/aggregation`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-pendo-integration-key": key },
        body: JSON.stringify({ response: { mimeType: "application/json" }, request: { pipeline } }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`aggregation on ${server.sink.engine}: ${response.status} ${text}`);
      return (JSON.parse(text) as { results: Row[] }).results;
    };
    const lines: string[] = [];
    for (const q of questionPipelines(pages, features)) {
      const [onDuck, onClick] = [await ask(duck, q.pipeline), await ask(click, q.pipeline)];
      if (q.normalise(onDuck) !== q.normalise(onClick))
        throw new Error(
          `${q.name}: DuckDB and ClickHouse disagree:\n${q.normalise(onDuck).slice(0, 300)}\n${q.normalise(onClick).slice(0, 300)}`,
        );
      const took = { duck: [] as number[], click: [] as number[], ratio: [] as number[] };
      for (let r = 0; r < rounds; r++) {
        const pair: Record<string, number> = {};
        for (const [name, server] of r % 2
          ? ([
              ["click", click],
              ["duck", duck],
            ] as const)
          : ([
              ["duck", duck],
              ["click", click],
            ] as const)) {
          const t0 = performance.now();
          await ask(server, q.pipeline);
          pair[name] = performance.now() - t0;
        }
        took.duck.push(pair.duck as number);
        took.click.push(pair.click as number);
        took.ratio.push((pair.click as number) / (pair.duck as number));
      }
      progress(
        `${q.name}: ${median(took.click).toFixed(0)} ms on ClickHouse, ${median(took.ratio).toFixed(2)}× DuckDB`,
      );
      lines.push(
        `| ${q.name} | ${onDuck.length} | ${median(took.duck).toFixed(0)} ms | ${median(took.click).toFixed(0)} ms | ${median(took.ratio).toFixed(2)}× |`,
      );
    }
    return [
      `#### Aggregations at ${aggregationEvents.toLocaleString("en")} events (${rounds} rounds, alternating)`,
      "",
      `The original data folder (SQLite + DuckDB) against the same data moved into PostgreSQL + ClickHouse by \`cairn export\` (${exportSeconds.toFixed(0)} s) and \`cairn import\` (${importSeconds.toFixed(0)} s); every question gives the same answer on both (checked), with the integration key, pages and features made before the export. Medians over HTTP; the ratio is the median of per-round ratios.`,
      "",
      "| Question | Rows | SQLite + DuckDB | PostgreSQL + ClickHouse (chdb) | ClickHouse / DuckDB |",
      "|---|---|---|---|---|",
      ...lines,
    ];
  } finally {
    await click?.shutdown();
    await duck.shutdown();
  }
}

/** Click and focus events shaped like the collector benchmark's, one visitor in 200 per batch. */
function loadBatchOf(index: number): Uint8Array {
  const now = Date.now();
  const events: StoredEvent[] = Array.from({ length: loadBatch }, (_, i) => ({
    eventId: `e-${index}-${i}`,
    subscriptionId: "sub_bench",
    appId: "app_bench",
    type: i % 2 ? "click" : "focus",
    visitorId: `visitor-${(index * loadBatch + i) % 20_000}`,
    accountId: `account-${i % 200}`,
    occurredAt: now - (i % 3_600) * 1000,
    receivedAt: now,
    url: `https://app.example.com/section-${i % 20}/item-${i % 10}`,
    title: "Items",
    elementPath: i % 2 ? `BUTTON#btn-${i % 50}.btn < DIV#panel-${i % 5} < BODY` : null,
    trackName: null,
    ip: `203.0.113.${i % 200}`,
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/150.0",
    isBot: false,
    excluded: false,
    batchKey: `batch-${index}-${Math.floor(i / 8)}`,
    properties: JSON.stringify({ target: { tag: "BUTTON", id: `btn-${i % 50}`, cls: "btn btn-primary" } }),
  }));
  return rowsBytes(eventRowsNdjson(events));
}

async function ingest(dir: string): Promise<string[]> {
  const duck = await openEventStores({ engine: "duckdb", file: path.join(dir, "ingest.duckdb") });
  const click = await openEventStores({ engine: "clickhouse", url: `chdb:${chdbFolder}?database=ingest` });
  await duck.sink.migrate();
  await click.sink.migrate();
  const took = { duckdb: 0, clickhouse: 0 };
  const loads = Math.ceil(ingestEvents / loadBatch);
  try {
    for (let i = 0; i < loads; i++) {
      const rows = [loadBatchOf(i)];
      for (const [name, sink] of i % 2
        ? ([
            ["clickhouse", click.sink],
            ["duckdb", duck.sink],
          ] as const)
        : ([
            ["duckdb", duck.sink],
            ["clickhouse", click.sink],
          ] as const)) {
        const t0 = performance.now();
        await sink.load({ rows, sequence: i + 1 });
        took[name] += performance.now() - t0;
      }
    }
  } finally {
    await duck.sink.close();
    await click.sink.close();
  }
  const rate = (ms: number) => (loads * loadBatch) / (ms / 1000);
  progress(
    `ingest: DuckDB ${rate(took.duckdb).toFixed(0)} events/s, ClickHouse ${rate(took.clickhouse).toFixed(0)} events/s`,
  );
  return [
    `#### Ingest: ${(loads * loadBatch).toLocaleString("en")} events in loads of ${loadBatch.toLocaleString("en")} (\`sink.load\`, alternating engine by load)`,
    "",
    "| Engine | Events/s |",
    "|---|---|",
    `| DuckDB | ${rate(took.duckdb).toFixed(0)} |`,
    `| ClickHouse (chdb, in-process) | ${rate(took.clickhouse).toFixed(0)} |`,
    "",
    `ClickHouse / DuckDB: ${(took.duckdb / took.clickhouse).toFixed(2)}× the rate. chdb's connection turns each load's rows into text and runs them as one INSERT statement in the process; a ClickHouse server takes the same bytes over HTTP.`,
  ];
}

/** The collector benchmark's beacon, through autocannon; the requests acknowledged and their rate. */
async function pound(urls: readonly string[], jzbQuery: string): Promise<{ rps: number; ok: number }> {
  const each = Math.max(1, Math.floor(connections / urls.length));
  const runs = await Promise.all(
    urls.map((url) => autocannon({ url: `${url}${jzbQuery}`, connections: each, duration: seconds })),
  );
  for (const run of runs)
    if (run.non2xx > 0 || run.errors > 0) throw new Error(`${run.non2xx} non-2xx, ${run.errors} errors`);
  return {
    rps: runs.reduce((sum, run) => sum + run.requests.average, 0),
    ok: runs.reduce((sum, run) => sum + run["2xx"], 0),
  };
}

async function collectors(): Promise<string[]> {
  const endpoint = await startChdbEndpoint();
  const env = {
    BENCH_METADATA_URL: await testPostgresUrl("scale"),
    BENCH_EVENTS_URL: endpoint.url("cairn_scale"),
  };
  const first = await startBenchServer("collector-server.ts", env);
  const second = await startBenchServer("collector-server.ts", env);
  const query = `?v=2.291.4_prod&ct=${Date.now()}&jzb=${encodeJzb(agentBatch())}`;
  const beaconUrl = (server: { url: string; value: string }) => `${server.url}/data/ptm.gif/${server.value}`;
  const stored = async () =>
    Number(((await (await fetch(`${first.url}/bench/count`)).json()) as { events: number }).events);
  const samples = { one: [] as number[], two: [] as number[] };
  let acknowledged = 0;
  try {
    await pound([beaconUrl(first), beaconUrl(second)], query); // warm-up
    const before = await stored();
    for (let r = 0; r < rounds; r++) {
      for (const which of r % 2 ? (["two", "one"] as const) : (["one", "two"] as const)) {
        const run = await pound(
          which === "one" ? [beaconUrl(first)] : [beaconUrl(first), beaconUrl(second)],
          query,
        );
        samples[which].push(run.rps);
        acknowledged += run.ok;
        // Both servers' loads finish before the next run (each count flushes the server it asks).
        await fetch(`${second.url}/bench/count`);
        await stored();
      }
      progress(`collector: round ${r + 1}/${rounds}`);
    }
    const after = await stored();
    if (after - before < acknowledged * 8)
      throw new Error(`collector: ${acknowledged * 8 - (after - before)} events missing`);
  } finally {
    first.stop();
    second.stop();
    await endpoint.stop();
  }
  const ratio = median(samples.two) / median(samples.one);
  progress(`collector: one ${median(samples.one).toFixed(0)}/s, two ${median(samples.two).toFixed(0)}/s`);
  return [
    `#### Collector: one server process against two (PostgreSQL metadata, ClickHouse events over HTTP; ${rounds} rounds × ${seconds} s, ${connections} connections in all)`,
    "",
    "| Servers | Beacons/s | Events/s |",
    "|---|---|---|",
    `| one | ${median(samples.one).toFixed(0)} | ${(median(samples.one) * 8).toFixed(0)} |`,
    `| two (half the connections each) | ${median(samples.two).toFixed(0)} | ${(median(samples.two) * 8).toFixed(0)} |`,
    "",
    `Two / one: ${ratio.toFixed(2)}×. Every acknowledged beacon's events were in ClickHouse afterwards (${(acknowledged * 8).toLocaleString("en")} checked). On 2 cores the two servers, PostgreSQL, the ClickHouse process and the load generator share the same CPUs.`,
  ];
}

async function acknowledgement(): Promise<string[]> {
  const query = `?v=2.291.4_prod&ct=${Date.now()}&jzb=${encodeJzb(agentBatch())}`;
  const results: Record<string, { rps: number[]; latency: number[] }> = {};
  for (const mode of ["logged", "stored"]) {
    const server = await startBenchServer("collector-server.ts", { BENCH_ACKNOWLEDGE: mode });
    results[mode] = { rps: [], latency: [] };
    try {
      const url = `${server.url}/data/ptm.gif/${server.value}${query}`;
      await autocannon({ url, connections, duration: 2 }); // warm-up
      for (let r = 0; r < rounds; r++) {
        const run = await autocannon({ url, connections, duration: seconds });
        if (run.non2xx > 0 || run.errors > 0) throw new Error(`${mode}: ${run.non2xx} non-2xx`);
        results[mode]?.rps.push(run.requests.average);
        results[mode]?.latency.push(run.latency.p99);
        await fetch(`${server.url}/bench/count`);
      }
    } finally {
      server.stop();
    }
    progress(`acknowledge ${mode}: ${median(results[mode]?.rps ?? []).toFixed(0)}/s`);
  }
  const row = (mode: string) =>
    `| \`${mode}\` | ${median(results[mode]?.rps ?? []).toFixed(0)} | ${median(results[mode]?.latency ?? []).toFixed(0)} ms |`;
  const ratio = median(results.stored?.rps ?? []) / median(results.logged?.rps ?? []);
  return [
    `#### Acknowledgement: CAIRN_ACKNOWLEDGE=logged against =stored (one server, embedded stores, ${rounds} runs × ${seconds} s each, ${connections} connections)`,
    "",
    "| Mode | Beacons/s | p99 latency |",
    "|---|---|---|",
    row("logged"),
    row("stored"),
    "",
    `stored / logged: ${ratio.toFixed(2)}× the rate (the two modes run one after the other, not interleaved).`,
  ];
}

export async function scale(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "cairn-bench-scale-"));
  chdbFolder = path.join(dir, "chdb");
  try {
    const sections = [
      ...(await aggregations(path.join(dir, "aggregations"))),
      "",
      ...(await ingest(dir)),
      "",
      ...(await collectors()),
      "",
      ...(await acknowledgement()),
    ];
    return [`### Scale (${describeMachine()}, ${cpus().length} cores)`, "", ...sections].join("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
