/**
 * Requests per second, and server CPU time per request, on GET /api/v1/token/verify with a valid
 * integration key against the same route without the key check. Both are served by one Cairn process
 * and loaded by autocannon from this process. Rounds alternate the order (ABBA), because on a shared
 * 2-core machine whichever runs first in a pair was seen to lose up to 40% to the other.
 */
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import autocannon from "autocannon";
import { startBenchServer } from "./bench-server.js";
import { describeMachine, median } from "./stats.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 8);
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const connections = 32;

/** User + system CPU time of a process, in microseconds (Linux /proc, clock ticks of 10 ms). */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

interface Sample {
  readonly rps: number;
  readonly cpuMicrosPerRequest: number;
}

async function load(pid: number, url: string, headers: Record<string, string>): Promise<Sample> {
  const before = cpuMicros(pid);
  const result = await autocannon({ url, connections, duration: seconds, headers });
  const after = cpuMicros(pid);
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, cpuMicrosPerRequest: (after - before) / result.requests.total };
}

export async function keyCheck(): Promise<string> {
  const server = await startBenchServer("auth-server.ts");
  const { url, value: key } = server;
  const pid = server.process.pid ?? 0;
  const authenticated: Sample[] = [];
  const baseline: Sample[] = [];
  const runAuthenticated = async () =>
    authenticated.push(await load(pid, `${url}/api/v1/token/verify`, { "x-pendo-integration-key": key }));
  const runBaseline = async () =>
    baseline.push(await load(pid, `${url}/bench/token/verify-unauthenticated`, {}));
  try {
    await load(pid, `${url}/api/v1/token/verify`, { "x-pendo-integration-key": key }); // warm-up, not counted
    await load(pid, `${url}/bench/token/verify-unauthenticated`, {});
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        await runAuthenticated();
        await runBaseline();
      } else {
        await runBaseline();
        await runAuthenticated();
      }
      process.stderr.write(`  key check: round ${round + 1}/${rounds}\n`);
    }
  } finally {
    server.stop();
  }
  const authRps = median(authenticated.map((s) => s.rps));
  const baseRps = median(baseline.map((s) => s.rps));
  const authCpu = median(authenticated.map((s) => s.cpuMicrosPerRequest));
  const baseCpu = median(baseline.map((s) => s.cpuMicrosPerRequest));
  return [
    `### Key check cost (${rounds} rounds × ${seconds} s, ABBA order, ${connections} connections, medians; ${describeMachine()}, ${cpus().length} cores)`,
    "",
    "| Route | Requests/s | vs baseline | Server CPU per request | vs baseline |",
    "|---|---|---|---|---|",
    `| \`GET /api/v1/token/verify\` with a valid integration key | ${authRps.toFixed(0)} | ${(authRps / baseRps).toFixed(3)}× | ${authCpu.toFixed(1)} µs | ${(authCpu / baseCpu).toFixed(3)}× |`,
    `| baseline: the same handler without the key check | ${baseRps.toFixed(0)} | 1.000× | ${baseCpu.toFixed(1)} µs | 1.000× |`,
    "",
    `Key check cost: ${((1 - authRps / baseRps) * 100).toFixed(1)}% of throughput, ${((authCpu / baseCpu - 1) * 100).toFixed(1)}% more server CPU per request (goal: under 10%).`,
  ].join("\n");
}
