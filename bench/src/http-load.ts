import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import { median } from "./stats.js";

export const connections = 32;
export const seconds = Number(process.env.BENCH_SECONDS ?? 2);

/** User and system CPU time of a process, in microseconds (Linux /proc, clock ticks of 10 ms). */
function cpuMicros(pid: number): { user: number; system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return { user: Number(fields[11]) * 10_000, system: Number(fields[12]) * 10_000 };
}

export interface Sample {
  readonly rps: number;
  readonly userMicrosPerRequest: number;
  readonly cpuMicrosPerRequest: number;
}

export async function load(pid: number, url: string, headers: Record<string, string>): Promise<Sample> {
  const before = cpuMicros(pid);
  const result = await autocannon({ url, connections, duration: seconds, headers });
  const after = cpuMicros(pid);
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  const user = after.user - before.user;
  const system = after.system - before.system;
  return {
    rps: result.requests.average,
    userMicrosPerRequest: user / result.requests.total,
    cpuMicrosPerRequest: (user + system) / result.requests.total,
  };
}

export interface AbbaSamples {
  readonly a: Sample[];
  readonly b: Sample[];
  /** The median over rounds of `measure(a) / measure(b)`, each round's pair loaded back to back. */
  ratio(measure: (sample: Sample) => number): number;
}

/**
 * Loads two URLs of one server for `rounds` rounds in ABBA order, after one uncounted warm-up each. On this
 * shared machine throughput moves by up to 2× between runs seconds apart; a round's two runs share its state.
 */
export async function loadAbba(
  pid: number,
  urls: { readonly a: string; readonly b: string },
  headers: Record<string, string>,
  rounds: number,
  label: string,
): Promise<AbbaSamples> {
  const a: Sample[] = [];
  const b: Sample[] = [];
  const runA = async () => a.push(await load(pid, urls.a, headers));
  const runB = async () => b.push(await load(pid, urls.b, headers));
  await load(pid, urls.a, headers);
  await load(pid, urls.b, headers);
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      await runA();
      await runB();
    } else {
      await runB();
      await runA();
    }
    process.stderr.write(`  ${label}: round ${round + 1}/${rounds}\n`);
  }
  return {
    a,
    b,
    ratio: (measure) => median(a.map((sample, round) => measure(sample) / measure(b[round] as Sample))),
  };
}
