/**
 * Cold start to ready, and idle memory, of `cairn start` (built), against a bare Fastify server started the
 * same way, in the same run. "Ready" means /healthz answers 200; idle RSS is read 2 s after that.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describeMachine, median } from "./stats.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cairnCli = path.join(root, "packages/server/dist/cli/main.js");
const bareFastify = path.join(root, "bench/baselines/bare-fastify.mjs");
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);

interface Sample {
  readonly readyMs: number;
  readonly idleRssMb: number;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function waitReady(child: ChildProcess, started: number): Promise<number> {
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    // Cairn prints its banner to stderr when its logs are JSON lines (piped, as here).
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(?:ready at|Cairn is ready at) (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.on("exit", (code) => reject(new Error(`exited with ${code} before ready: ${out}`)));
  });
  for (;;) {
    const response = await fetch(`${url}/healthz`).catch(() => null);
    if (response?.ok) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function measure(args: string[], cwd: string): Promise<Sample> {
  const started = performance.now();
  mkdirSync(cwd, { recursive: true });
  const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  const readyMs = await waitReady(child, started);
  await new Promise((r) => setTimeout(r, 2000));
  const idleRssMb = rssMb(child.pid ?? 0);
  child.kill("SIGTERM");
  await new Promise((r) => child.on("exit", r));
  return { readyMs, idleRssMb };
}

export async function coldStart(): Promise<string> {
  const work = mkdtempSync(path.join(tmpdir(), "cairn-bench-start-"));
  const cairnArgs = [cairnCli, "start", "--port", "0", "--log-level", "warn"];
  const first: Sample[] = [];
  const warm: Sample[] = [];
  const baseline: Sample[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const dir = path.join(work, `round-${round}`);
      // Interleaved, so drift on a shared machine hits all three alike.
      first.push(await measure(cairnArgs, dir));
      warm.push(await measure(cairnArgs, dir));
      baseline.push(await measure([bareFastify], root));
      process.stderr.write(`  cold start: round ${round + 1}/${rounds}\n`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const row = (name: string, samples: Sample[]) => {
    const ready = median(samples.map((s) => s.readyMs));
    const rss = median(samples.map((s) => s.idleRssMb));
    const baseReady = median(baseline.map((s) => s.readyMs));
    const baseRss = median(baseline.map((s) => s.idleRssMb));
    return `| ${name} | ${ready.toFixed(0)} ms | ${(ready / baseReady).toFixed(2)}× | ${rss.toFixed(1)} MB | ${(rss / baseRss).toFixed(2)}× |`;
  };
  return [
    `### Cold start to ready, idle RSS (${rounds} rounds, medians; ${describeMachine()}, ${cpus().length} cores)`,
    "",
    "| Process | Start → /healthz 200 | vs baseline | Idle RSS | vs baseline |",
    "|---|---|---|---|---|",
    row("`cairn start`, first start (creates stores, migrates, creates subscription)", first),
    row("`cairn start`, later start (stores exist)", warm),
    row("baseline: bare Fastify, one route", baseline),
  ].join("\n");
}
