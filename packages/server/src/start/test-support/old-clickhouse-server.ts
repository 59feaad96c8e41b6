import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "./free-port.js";
import { tempDir } from "./temp-dir.js";

const program = "/usr/sbin/clickhouse-server";
export const oldServerPassword = "cairn-test";

/**
 * Debian's ClickHouse server (18.16, from 2018: the only one a package provides here) for tests of the HTTP
 * path: what a server answers over HTTP, its errors, a restart. The store itself needs a current ClickHouse
 * and refuses this one. One server per test process, on a free port, its folder removed at exit.
 */
export interface OldClickhouseServer {
  /** `clickhouse://default:…@127.0.0.1:port/` plus the database. */
  url(database: string): string;
  readonly port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startOldClickhouseServer(): Promise<OldClickhouseServer> {
  if (!existsSync(program))
    throw new Error(
      "Debian's clickhouse-server is not installed: the ClickHouse HTTP tests need it (apt-get install clickhouse-server; .ci/run installs it)",
    );
  const dir = tempDir("clickhouse-server");
  const port = await freePort();
  const tcpPort = await freePort();
  for (const sub of ["data", "tmp", "user_files"]) mkdirSync(path.join(dir, sub));
  writeFileSync(
    path.join(dir, "config.xml"),
    `<yandex>
  <logger><level>warning</level><console>1</console></logger>
  <http_port>${port}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
</yandex>
`,
  );
  writeFileSync(
    path.join(dir, "users.xml"),
    `<yandex>
  <profiles><default/></profiles>
  <users><default><password>${oldServerPassword}</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default/></quotas>
</yandex>
`,
  );
  let child: ChildProcess | null = null;
  process.once("exit", () => child?.kill("SIGKILL"));

  async function start(): Promise<void> {
    const out = openSync(path.join(dir, "server.log"), "a");
    child = spawn(program, [`--config-file=${dir}/config.xml`], { stdio: ["ignore", out, out] });
    const started = child;
    for (let waited = 0; waited < 30_000; waited += 100) {
      if (started.exitCode !== null) throw new Error(`clickhouse-server exited (${dir}/server.log)`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/ping`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`clickhouse-server did not answer within 30 s (${dir}/server.log)`);
  }

  async function stop(): Promise<void> {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    await exited;
    child = null;
  }

  await start();
  return {
    port,
    url: (database) => `clickhouse://default:${oldServerPassword}@127.0.0.1:${port}/${database}`,
    start,
    stop,
  };
}
