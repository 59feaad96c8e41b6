/**
 * Collector throughput: agent-shaped GET beacons of 8 events (click/focus events shaped like
 * agent-wire.md §5.4's capture), loaded by autocannon from this process against one Cairn process, beside
 * two baselines served by the same process: a route that only answers the GIF, and one that decodes the
 * jzb and answers the GIF without validating or storing. After the run, the store must hold 8 events for
 * every 2xx answer: an acknowledgement means durable. autocannon repeats one payload, so the server runs
 * with its memory of recent beacons off (a remembered copy is answered but not stored again).
 */

import { cpus } from "node:os";
import { encodeJzb } from "@cairn/server/internals";
import autocannon from "autocannon";
import { startBenchServer } from "./bench-server.js";
import { describeMachine, median } from "./stats.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
// Enough connections to saturate every route. The baselines answer at once and are CPU-bound from a few dozen
// connections on; the collector answers once a group fsync covers the beacon, so with few connections its rate
// is connections ÷ that latency and the server sits partly idle. Beacons come from many browsers at once. At
// 32 connections this machine measured 0.44×, at 64 0.49×, at 128 0.59× (bench/RESULTS.md).
const connections = Number(process.env.BENCH_CONNECTIONS ?? 128);
const eventsPerBeacon = 8;

export function agentBatch(): unknown[] {
  const now = Date.now();
  return Array.from({ length: eventsPerBeacon }, (_, i) => ({
    type: i % 2 ? "click" : "focus",
    browser_time: now + i,
    visitor_id: "v1",
    account_id: "acme",
    url: "http://127.0.0.1:44601/?data=x",
    props: {
      target: {
        tag: "BUTTON",
        id: "signup",
        cls: "btn btn-primary",
        title: "Create account",
        attrs: { name: "signup" },
        myIndex: 1,
        childIndex: 0,
        parentElem: {
          tag: "DIV",
          id: "toolbar",
          cls: "toolbar main",
          title: null,
          attrs: {},
          myIndex: 3,
          childIndex: 1,
          parentElem: { tag: "BODY", id: "", cls: "", title: null, attrs: {}, myIndex: 2, childIndex: 1 },
        },
      },
      ...(i % 2 ? { flags: ["left"] } : {}),
    },
    parentTabId: null,
    tabId: "9nuooDYUDjDns1zv",
    frameId: "3r0MBOwHGsRwCWQg",
    sessionId: "fTVwj86XbPNX3LEa",
    utm: { channel: "Direct" },
    sequence: i,
    bytes: 692,
  }));
}

async function load(url: string): Promise<{ rps: number; ok: number; latencyMs: number }> {
  const result = await autocannon({ url, connections, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url.slice(0, 80)}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, ok: result["2xx"], latencyMs: result.latency.average };
}

export async function collector(): Promise<string> {
  const server = await startBenchServer("collector-server.ts");
  const { url: base, value: appKey } = server;
  const jzb = encodeJzb(agentBatch());
  const query = `?v=2.291.4_prod&ct=${Date.now()}&jzb=${jzb}`;
  const urls = {
    collector: `${base}/data/ptm.gif/${appKey}${query}`,
    decodeOnly: `${base}/bench/decode-only/${appKey}${query}`,
    gifOnly: `${base}/bench/gif-only/${appKey}${query}`,
  };
  const samples: Record<keyof typeof urls, number[]> = { collector: [], decodeOnly: [], gifOnly: [] };
  const latencies: Record<keyof typeof urls, number[]> = { collector: [], decodeOnly: [], gifOnly: [] };
  let acknowledged = 0;
  let stored = 0;
  const sustained = { seconds: seconds * 3, ok: 0, refused: 0, drainSeconds: 0 };
  const storedNow = async () =>
    Number(((await (await fetch(`${base}/bench/count`)).json()) as { events: number }).events);
  try {
    for (const url of Object.values(urls)) await load(url); // warm-up
    const warmStored = Number(
      ((await (await fetch(`${base}/bench/count`)).json()) as { events: number }).events,
    );
    const order = Object.keys(urls) as Array<keyof typeof urls>;
    for (let round = 0; round < rounds; round++) {
      for (const name of round % 2 ? [...order].reverse() : order) {
        const { rps, ok, latencyMs } = await load(urls[name]);
        samples[name].push(rps);
        latencies[name].push(latencyMs);
        if (name === "collector") {
          acknowledged += ok;
          // Let the backlog load before the next round, or the baselines would run beside the loader.
          await storedNow();
        }
      }
      process.stderr.write(`  collector: round ${round + 1}/${rounds}\n`);
    }
    stored = (await storedNow()) - warmStored;
    // Acknowledged means in the fsynced ingest log; loading into DuckDB may lag behind a burst. One longer
    // run, then the time until everything is loaded, gives the rate the whole path keeps up.
    const sustainedStart = await storedNow();
    const run = await autocannon({ url: urls.collector, connections, duration: sustained.seconds });
    sustained.ok = run["2xx"];
    sustained.refused = run.non2xx;
    const drainStarted = performance.now();
    const afterDrain = await storedNow();
    sustained.drainSeconds = (performance.now() - drainStarted) / 1000;
    if (afterDrain - sustainedStart < sustained.ok * eventsPerBeacon)
      throw new Error("sustained run: events missing");
  } finally {
    server.stop();
  }
  const rps = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<
    keyof typeof urls,
    number
  >;
  // The decode-only baseline itself moves by ±15% between rounds; a round's two runs share the machine's state.
  const roundRatios = samples.collector.map((value, round) => value / (samples.decodeOnly[round] ?? value));
  const row = (label: string, name: keyof typeof urls) =>
    `| ${label} | ${rps[name].toFixed(0)} | ${(rps[name] * eventsPerBeacon).toFixed(0)} | ${(rps[name] / rps.decodeOnly).toFixed(2)}× | ${median(latencies[name]).toFixed(1)} ms |`;
  return [
    `### Collector throughput (${rounds} rounds × ${seconds} s, ${connections} connections, GET beacons of ${eventsPerBeacon} events, ${jzb.length}-char jzb, medians; ${describeMachine()}, ${cpus().length} cores)`,
    "",
    "| Route | Requests/s | Events/s | vs decode-only | Mean latency |",
    "|---|---|---|---|---|",
    row("`GET /data/ptm.gif/:appKey` (decode, validate, enrich, store durably)", "collector"),
    row("baseline: decode the jzb, answer the GIF", "decodeOnly"),
    row("baseline: answer the GIF only", "gifOnly"),
    "",
    `Per round (the decode-only run of the same round, run next to it): ${roundRatios.map((r) => `${r.toFixed(2)}×`).join(", ")}; median ${median(roundRatios).toFixed(2)}×.`,
    "",
    `Sustained: ${sustained.seconds} s of collector load acknowledged ${sustained.ok} beacons (${(sustained.ok / sustained.seconds).toFixed(0)}/s) and refused ${sustained.refused} (503 while the backlog is full); loading the backlog into DuckDB took ${sustained.drainSeconds.toFixed(1)} s more, so the whole path kept up with ${(sustained.ok / (sustained.seconds + sustained.drainSeconds)).toFixed(0)} beacons/s (${(sustained.ok / (sustained.seconds + sustained.drainSeconds) / rps.decodeOnly).toFixed(2)}× decode-only).`,
    "",
    `Durability check: ${acknowledged} beacons acknowledged × ${eventsPerBeacon} = ${acknowledged * eventsPerBeacon} events; the store gained ${stored} (${stored >= acknowledged * eventsPerBeacon ? "none lost" : "EVENTS MISSING"}). Goal: ≥ 50% of decode-only.`,
  ].join("\n");
}
