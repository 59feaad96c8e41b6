/**
 * What sharing the limits' counts between servers costs the collector (platform/limits/shared-counts.ts).
 *
 * Two pairs of collector servers on one PostgreSQL metadata database, each server with its own embedded
 * DuckDB events: one pair shares its counts (every 250 ms, PostgreSQL NOTIFY), the other (the baseline) does
 * not. The memory of recent beacons is on, so each beacon is also a key shared with the other server, and every
 * beacon's payload differs (a counter in its events) so none is a copy. The pairs take the load in turn,
 * BENCH_ROUNDS times, each server of the pair half the connections; every acknowledged event is then counted
 * in the stores.
 */
import { once } from "node:events";
import { cpus } from "node:os";
import { encodeJzb } from "@cairn/server/internals";
import autocannon from "autocannon";
import { testPostgresUrl } from "../../packages/server/src/start/test-support/postgres-cluster.js";
import { type BenchServer, startBenchServer } from "./bench-server.js";
import { agentBatch } from "./collector.js";
import { describeMachine, median } from "./stats.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const eventsPerBeacon = agentBatch().length;

const progress = (line: string) => process.stderr.write(`  ${line}\n`);

let sent = 0;
/** A beacon path no other request uses: the events' times carry a counter. */
function uniquePath(appKey: string): string {
  sent += 1;
  const events = agentBatch().map((event, i) => ({
    ...(event as Record<string, unknown>),
    browser_time: 1_700_000_000_000 + sent * 10 + i,
  }));
  return `/data/ptm.gif/${appKey}?v=2.291.4_prod&ct=${sent}&jzb=${encodeJzb(events)}`;
}

async function pound(pair: readonly BenchServer[]): Promise<{ rps: number; ok: number }> {
  const runs = await Promise.all(
    pair.map((server) =>
      autocannon({
        url: server.url,
        connections: Math.max(1, Math.floor(connections / pair.length)),
        duration: seconds,
        requests: [
          {
            method: "GET",
            setupRequest: (request) => ({ ...request, path: uniquePath(server.value) }),
          },
        ],
      }),
    ),
  );
  for (const run of runs)
    if (run.non2xx > 0 || run.errors > 0) throw new Error(`${run.non2xx} non-2xx, ${run.errors} errors`);
  return {
    rps: runs.reduce((sum, run) => sum + run.requests.average, 0),
    ok: runs.reduce((sum, run) => sum + run["2xx"], 0),
  };
}

async function stored(pair: readonly BenchServer[]): Promise<number> {
  let events = 0;
  for (const server of pair) {
    const answer = (await (await fetch(`${server.url}/bench/count`)).json()) as { events: number };
    events += Number(answer.events);
  }
  return events;
}

export async function sharedCounts(): Promise<string> {
  const env = { BENCH_METADATA_URL: await testPostgresUrl("shared-counts"), BENCH_REMEMBER: "1" };
  const pairs = {
    shared: [
      await startBenchServer("collector-server.ts", env),
      await startBenchServer("collector-server.ts", env),
    ],
    unshared: [
      await startBenchServer("collector-server.ts", { ...env, BENCH_SHARE: "off" }),
      await startBenchServer("collector-server.ts", { ...env, BENCH_SHARE: "off" }),
    ],
  };
  const samples = { shared: [] as number[], unshared: [] as number[] };
  const acknowledged = { shared: 0, unshared: 0 };
  try {
    for (const pair of Object.values(pairs)) await pound(pair); // warm-up
    const before = { shared: await stored(pairs.shared), unshared: await stored(pairs.unshared) };
    for (let r = 0; r < rounds; r++) {
      // In turn, the order swapped each round, so drift on the shared machine falls on both.
      for (const name of r % 2 ? (["unshared", "shared"] as const) : (["shared", "unshared"] as const)) {
        const run = await pound(pairs[name]);
        samples[name].push(run.rps);
        acknowledged[name] += run.ok;
        await stored(pairs[name]); // its loads finish before the next run
      }
      progress(`shared counts: round ${r + 1}/${rounds}`);
    }
    for (const name of ["shared", "unshared"] as const) {
      const missing = acknowledged[name] * eventsPerBeacon - ((await stored(pairs[name])) - before[name]);
      // More may be stored than acknowledged: requests in flight when a run ends are stored but not counted.
      if (missing > 0) throw new Error(`${name}: ${missing} acknowledged events not stored`);
    }
    progress(
      `shared ${median(samples.shared).toFixed(0)}/s, not shared ${median(samples.unshared).toFixed(0)}/s`,
    );
  } finally {
    // Stopped before the benchmark ends, and PostgreSQL with it.
    const servers = [...pairs.shared, ...pairs.unshared];
    const exited = servers.map((server) => once(server.process, "exit"));
    for (const server of servers) server.stop();
    await Promise.all(exited);
  }
  const shared = median(samples.shared);
  const unshared = median(samples.unshared);
  return [
    `### Shared counts (${describeMachine()}, ${cpus().length} cores)`,
    "",
    `Two collector servers on one PostgreSQL metadata database (embedded DuckDB events each), the memory of recent beacons on and a different payload in every beacon; ${rounds} runs × ${seconds} s per pair, ${connections} connections in all.`,
    "",
    "| Pair | Beacons/s (median) |",
    "|---|---|",
    `| counts not shared (baseline) | ${unshared.toFixed(0)} |`,
    `| counts shared every 250 ms | ${shared.toFixed(0)} |`,
    "",
    `Shared / not shared: ${(shared / unshared).toFixed(2)}×. Every acknowledged event was in the stores afterwards.`,
  ].join("\n");
}
