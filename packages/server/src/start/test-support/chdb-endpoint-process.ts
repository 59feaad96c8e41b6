import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { tempDir } from "./temp-dir.js";

const script = fileURLToPath(new URL("./chdb-http-endpoint.ts", import.meta.url));

export interface ChdbEndpoint {
  /** `clickhouse://…` for a database on the endpoint, as CAIRN_EVENTS_URL. */
  url(database: string): string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * The ClickHouse engine behind ClickHouse's HTTP interface (chdb-http-endpoint.ts) in a process of its own, so
 * several Cairn processes can share it; stopped when the test process exits.
 */
export async function startChdbEndpoint(): Promise<ChdbEndpoint> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script, tempDir("chdb-endpoint")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  process.once("exit", () => child.kill("SIGKILL"));
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready (\d+)/.exec(out);
      if (match?.[1]) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`the chdb endpoint exited with ${code}: ${out}`)));
  });
  return {
    port,
    url: (database) => `clickhouse://default:endpoint@127.0.0.1:${port}/${database}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}
