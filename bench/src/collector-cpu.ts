/**
 * CPU per beacon of the collector's whole path, for A/B comparisons on a shared machine where throughput
 * ratios move with other work: the server process's CPU time (every thread: requests, prepare worker, DuckDB)
 * from the start of a load until everything acknowledged is stored, divided by the beacons acknowledged.
 * `node --import tsx src/collector-cpu.ts [runs] [seconds]`; connections from BENCH_CONNECTIONS (128).
 */
import { readdirSync, readFileSync } from "node:fs";
import autocannon from "autocannon";
import { encodeJzb } from "../../packages/server/src/collect/jzb.js";
import { startBenchServer } from "./bench-server.js";
import { agentBatch } from "./collector.js";
import { median } from "./stats.js";

const runs = Number(process.argv[2] ?? 5);
const seconds = Number(process.argv[3] ?? 6);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 128);
const ticksPerSecond = 100;

/** CPU seconds of the whole process, or with `thread` of that thread only (the main thread's id is the pid). */
function cpuSeconds(pid: number, thread?: number): number {
  const file = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
  const fields = readFileSync(file, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

const server = await startBenchServer("collector-server.ts");
const pid = server.process.pid ?? 0;
const url = `${server.url}/data/ptm.gif/${server.value}?v=2.291.4_prod&ct=${Date.now()}&jzb=${encodeJzb(agentBatch())}`;
const count = async () => (await fetch(`${server.url}/bench/count`)).json();
const perBeacon: number[] = [];
const mainPerBeacon: number[] = [];
const rates: number[] = [];
try {
  await autocannon({ url, connections, duration: 2 });
  await count();
  for (let run = 0; run < runs; run++) {
    const cpu = cpuSeconds(pid);
    const mainCpu = cpuSeconds(pid, pid);
    const started = performance.now();
    const result = await autocannon({ url, connections, duration: seconds });
    await count();
    const elapsed = (performance.now() - started) / 1000;
    perBeacon.push(((cpuSeconds(pid) - cpu) / result["2xx"]) * 1e6);
    mainPerBeacon.push(((cpuSeconds(pid, pid) - mainCpu) / result["2xx"]) * 1e6);
    rates.push(result["2xx"] / elapsed);
    process.stderr.write(
      `  run ${run + 1}: ${perBeacon.at(-1)?.toFixed(0)} µs CPU/beacon (event loop ${mainPerBeacon.at(-1)?.toFixed(0)}), ${rates.at(-1)?.toFixed(0)} beacons/s stored\n`,
    );
  }
  // Where the CPU went, by thread name (node, the prepare worker, DuckDB's and libuv's threads).
  const byName = new Map<string, number>();
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    const comm = readFileSync(`/proc/${pid}/task/${thread}/comm`, "utf8").trim();
    const name = Number(thread) === pid ? "event loop" : `${comm}:${thread}`;
    byName.set(name, (byName.get(name) ?? 0) + cpuSeconds(pid, Number(thread)));
  }
  process.stderr.write(
    `  CPU seconds by thread since start: ${[...byName]
      .filter(([, s]) => s >= 0.3)
      .sort((a, b) => b[1] - a[1])
      .map(([name, s]) => `${name} ${s.toFixed(1)}`)
      .join(", ")}\n`,
  );
} finally {
  server.stop();
}
console.log(
  `median ${median(perBeacon).toFixed(0)} µs CPU/beacon (event loop ${median(mainPerBeacon).toFixed(0)}), ${median(rates).toFixed(0)} beacons/s whole path`,
);
