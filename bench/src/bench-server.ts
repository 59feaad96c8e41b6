import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

export interface BenchServer {
  readonly process: ChildProcessByStdio<null, Readable, null>;
  readonly url: string;
  /** The second word of the server's `ready <url> <value>` line (a key, an app key). */
  readonly value: string;
  stop(): void;
}

/** Starts one of `servers/*.ts` through tsx and waits for its `ready <url> <value>` line. */
export async function startBenchServer(
  script: string,
  env: Record<string, string> = {},
): Promise<BenchServer> {
  const path = fileURLToPath(new URL(`./servers/${script}`, import.meta.url));
  // BENCH_SERVER_NODE_ARGS passes flags to the server only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
  // (Node refuses --cpu-prof in NODE_OPTIONS).
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", path], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...env },
  });
  const [url, value] = await new Promise<[string, string]>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready (\S+) (\S+)/.exec(out);
      if (match?.[1] && match[2]) resolve([match[1], match[2]]);
    });
    child.on("exit", (code) => reject(new Error(`bench server ${script} exited with ${code}: ${out}`)));
  });
  return { process: child, url, value, stop: () => child.kill("SIGTERM") };
}
