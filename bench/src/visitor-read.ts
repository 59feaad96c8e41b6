/**
 * A visitor read against the cheapest v1 route, in the same server and run: `GET /api/v1/visitor/:id` (one
 * point read in the profile store, among BENCH_VISITORS seeded visitors, then Pendo's metadata groups) against
 * `GET /api/v1/token/verify` (the key check and nothing else). Both carry the same integration key. The figure
 * is the median of per-round ratios, the two routes loaded back to back in ABBA order. Goal: ≥ 0.3×.
 */
import { cpus } from "node:os";
import { startBenchServer } from "./bench-server.js";
import { type AbbaSamples, connections, loadAbba, type Sample, seconds } from "./http-load.js";
import { describeMachine, median } from "./stats.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 12);
const visitors = Number(process.env.BENCH_VISITORS ?? 50_000);

export async function visitorRead(): Promise<string> {
  const server = await startBenchServer("auth-server.ts");
  const pid = server.process.pid ?? 0;
  const headers = { "x-pendo-integration-key": server.value };
  let measured: AbbaSamples;
  try {
    measured = await loadAbba(
      pid,
      { a: `${server.url}/api/v1/visitor/bench-visitor`, b: `${server.url}/api/v1/token/verify` },
      headers,
      rounds,
      "visitor read",
    );
  } finally {
    server.stop();
  }
  const { a: visitor, b: verify, ratio } = measured;
  const row = (name: string, samples: Sample[], ratios: string) =>
    `| ${name} | ${median(samples.map((s) => s.rps)).toFixed(0)} | ${median(samples.map((s) => s.cpuMicrosPerRequest)).toFixed(1)} µs | ${ratios} |`;
  const throughput = ratio((s) => s.rps);
  return [
    `### Visitor read against token/verify (${visitors.toLocaleString("en")} visitors stored; ${rounds} rounds × ${seconds} s per route, ABBA order, ${connections} connections; ${describeMachine()}, ${cpus().length} cores)`,
    "",
    "| Route | Requests/s (median) | Server CPU per request | Per-round ratio to token/verify (median): throughput, CPU |",
    "|---|---|---|---|",
    row(
      "`GET /api/v1/visitor/:id`",
      visitor,
      `${throughput.toFixed(3)}×, ${ratio((s) => s.cpuMicrosPerRequest).toFixed(3)}×`,
    ),
    row("`GET /api/v1/token/verify`", verify, "1×"),
    "",
    `Visitor read: ${throughput.toFixed(2)}× the throughput of token/verify (goal: ≥ 0.3×).`,
  ].join("\n");
}
