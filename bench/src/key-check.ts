/**
 * Requests per second, and server CPU time per request, on two v1 routes with a valid integration key
 * against the same routes without the key check: `GET /api/v1/token/verify`, which does nothing but
 * answer (the worst case for the check's share), and `GET /api/v1/visitor/:id`, which reads the profile
 * store as Pendo's v1 reads do. Each pair is served by one Cairn process and loaded by autocannon from
 * this process, with the same headers (the key included). On this shared machine throughput moves by up
 * to 2× between runs seconds apart, so the figure is the median of per-round ratios: each round loads
 * both routes of a pair back to back (ABBA order), and a round's two runs share the machine's state far
 * more than runs a minute apart do. User CPU per request is reported separately: the key check is
 * JavaScript, while most of a request's system time is the loopback socket's.
 */
import { cpus } from "node:os";
import { startBenchServer } from "./bench-server.js";
import { connections, loadAbba, type Sample, seconds } from "./http-load.js";
import { describeMachine, median } from "./stats.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 16);

interface RoutePair {
  readonly name: string;
  readonly authenticated: string;
  readonly baseline: string;
}

const pairs: readonly RoutePair[] = [
  {
    name: "`GET /api/v1/token/verify` (answers at once)",
    authenticated: "/api/v1/token/verify",
    baseline: "/bench/token/verify-unauthenticated",
  },
  {
    name: "`GET /api/v1/visitor/:id` (one profile-store read)",
    authenticated: "/api/v1/visitor/bench-visitor",
    baseline: "/bench/api/v1/visitor/bench-visitor",
  },
];

async function measurePair(
  pid: number,
  url: string,
  headers: Record<string, string>,
  pair: RoutePair,
): Promise<string> {
  const {
    a: authenticated,
    b: baseline,
    ratio: pairRatio,
  } = await loadAbba(
    pid,
    { a: url + pair.authenticated, b: url + pair.baseline },
    headers,
    rounds,
    `key check, ${pair.authenticated}`,
  );
  const throughput = pairRatio((s) => s.rps);
  const cpu = pairRatio((s) => s.cpuMicrosPerRequest);
  const user = pairRatio((s) => s.userMicrosPerRequest);
  const row = (name: string, samples: Sample[], ratios: string) =>
    `| ${name} | ${median(samples.map((s) => s.rps)).toFixed(0)} | ${median(samples.map((s) => s.cpuMicrosPerRequest)).toFixed(1)} µs | ${median(samples.map((s) => s.userMicrosPerRequest)).toFixed(1)} µs | ${ratios} |`;
  const spread = (samples: Sample[]) =>
    `${Math.min(...samples.map((s) => s.rps)).toFixed(0)}–${Math.max(...samples.map((s) => s.rps)).toFixed(0)}`;
  return [
    `#### ${pair.name}`,
    "",
    "| Route | Requests/s (median) | Server CPU per request | of which user | Per-round ratio to baseline (median): throughput, CPU, user CPU |",
    "|---|---|---|---|---|",
    row(
      "with a valid integration key",
      authenticated,
      `${throughput.toFixed(3)}×, ${cpu.toFixed(3)}×, ${user.toFixed(3)}×`,
    ),
    row("baseline: the same handler without the key check", baseline, "1×"),
    "",
    `Requests/s ranged ${spread(authenticated)} (authenticated) and ${spread(baseline)} (baseline) across rounds.`,
    `Key check cost: ${((1 - throughput) * 100).toFixed(1)}% of throughput, ${((cpu - 1) * 100).toFixed(1)}% more server CPU and ${((user - 1) * 100).toFixed(1)}% more user CPU per request (goal: under 10%).`,
  ].join("\n");
}

export async function keyCheck(): Promise<string> {
  const server = await startBenchServer("auth-server.ts");
  const pid = server.process.pid ?? 0;
  // The baseline gets the key header too, so the two differ only in what the server does with it.
  const headers = { "x-pendo-integration-key": server.value };
  const sections: string[] = [];
  try {
    for (const pair of pairs) sections.push(await measurePair(pid, server.url, headers, pair));
  } finally {
    server.stop();
  }
  return [
    `### Key check cost (${rounds} rounds × ${seconds} s per route, ABBA order, ${connections} connections; ${describeMachine()}, ${cpus().length} cores)`,
    "",
    sections.join("\n\n"),
  ].join("\n");
}
