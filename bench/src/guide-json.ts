/**
 * guide.json under load, against a fixed payload in the same server and run: `GET /data/guide.json/:appKey`
 * for visitors drawn from BENCH_VISITORS (each request a different visitor, with BENCH_GUIDES live guides and
 * real step states) against `/bench/guide-fixed.json/:appKey`, which sends one such payload without the
 * per-visitor work. Rounds in ABBA order, each BENCH_SECONDS long at a fixed concurrency; the figures are the
 * medians over rounds of each route's p50/p99 latency and throughput. Goal: p99 under 20 ms.
 */
import { cpus } from "node:os";
import { encodeJzb } from "@cairn/server/internals";
import autocannon from "autocannon";
import { startBenchServer } from "./bench-server.js";
import { seconds } from "./http-load.js";
import { describeMachine, median } from "./stats.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 8);
const guides = Number(process.env.BENCH_GUIDES ?? 50);
const visitors = Number(process.env.BENCH_VISITORS ?? 10_000);
const concurrency = Number(process.env.BENCH_CONNECTIONS ?? 8);

interface Round {
  readonly p50: number;
  readonly p99: number;
  readonly rps: number;
}

async function run(url: string, paths: readonly string[]): Promise<Round> {
  let next = 0;
  const result = await autocannon({
    url,
    connections: concurrency,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          request.path = paths[next++ % paths.length] as string;
          return request;
        },
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average };
}

export async function guideJson(): Promise<string> {
  const server = await startBenchServer("guides-server.ts");
  const appKey = server.value;
  // A different visitor for each request, in a shuffled order (a fixed stride through the ids).
  const paths = Array.from({ length: visitors }, (_, i) => {
    const jzb = encodeJzb({
      visitorId: `visitor-${(i * 7919) % visitors}`,
      accountId: "acme",
      url: "http://app.example.com/home?b=2&a=1",
      metadata: { visitor: { id: `visitor-${i}` } },
    });
    return `/data/guide.json/${appKey}?id=${i}&jzb=${jzb}&v=2.291.4_prod`;
  });
  const fixedPaths = [`/bench/guide-fixed.json/${appKey}`];
  const live: Round[] = [];
  const fixed: Round[] = [];
  try {
    await run(server.url, paths);
    await run(server.url, fixedPaths);
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ["live", "fixed"] : ["fixed", "live"];
      for (const which of order) {
        if (which === "live") live.push(await run(server.url, paths));
        else fixed.push(await run(server.url, fixedPaths));
      }
      process.stderr.write(`  guide.json: round ${round + 1}/${rounds}\n`);
    }
  } finally {
    server.stop();
  }
  const m = (rows: Round[], pick: (r: Round) => number) => median(rows.map(pick));
  const row = (name: string, rows: Round[]) =>
    `| ${name} | ${m(rows, (r) => r.p50).toFixed(1)} ms | ${m(rows, (r) => r.p99).toFixed(1)} ms | ${m(rows, (r) => r.rps).toFixed(0)} |`;
  const p99 = m(live, (r) => r.p99);
  const ratio = median(live.map((r, i) => r.rps / (fixed[i] as Round).rps));
  return [
    `### guide.json with ${guides} live guides and ${visitors.toLocaleString("en")} visitors with step states (${rounds} rounds × ${seconds} s per route, ABBA order, ${concurrency} connections; ${describeMachine()}, ${cpus().length} cores)`,
    "",
    "| Route | p50 latency (median of rounds) | p99 latency (median of rounds) | Requests/s (median) |",
    "|---|---|---|---|",
    row("`GET /data/guide.json/:appKey` (a different visitor each request)", live),
    row("baseline: the same payload, fixed", fixed),
    "",
    `guide.json p99: ${p99.toFixed(1)} ms (goal: under 20 ms); throughput ${ratio.toFixed(2)}× the fixed payload's (per-round median).`,
  ].join("\n");
}
