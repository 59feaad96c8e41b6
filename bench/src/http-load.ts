import { readFileSync } from "node:fs";
import autocannon from "autocannon";

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
