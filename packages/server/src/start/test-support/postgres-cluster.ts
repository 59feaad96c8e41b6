import { execFileSync, spawn } from "node:child_process";
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { openPostgresStore } from "../../store/metadata/postgres/open-postgres-store.js";
import { freePort } from "./free-port.js";

/**
 * A throwaway PostgreSQL cluster for tests: one per test process, started on first use, and gone when the
 * process exits. Each caller gets a database of its own, so tests stay independent. Durability is off
 * (fsync, synchronous_commit): nothing here must survive a crash, and it keeps CI fast.
 */
interface Cluster {
  readonly port: number;
  readonly dir: string;
}

let starting: Promise<Cluster> | null = null;
let databases = 0;

/** A fresh, empty database in this process's cluster, as a `postgres://` URL. */
export async function testPostgresUrl(label = "test"): Promise<string> {
  starting ??= startCluster();
  const cluster = await starting;
  databases += 1;
  const name = `cairn_${databases}_${label.replace(/[^a-z0-9]/gi, "_").toLowerCase()}`.slice(0, 63);
  const admin = await openPostgresStore(urlOf(cluster, "postgres"));
  try {
    await sql`create database ${sql.id(name)}`.execute(admin.db);
  } finally {
    await admin.close();
  }
  return urlOf(cluster, name);
}

function urlOf(cluster: Cluster, database: string): string {
  return `postgres://postgres@127.0.0.1:${cluster.port}/${database}`;
}

/** The newest installed server's programs (Debian puts each major version in its own folder). */
function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) {
    throw new Error(
      "PostgreSQL is not installed: the PostgreSQL metadata tests need Debian's `postgresql` package " +
        "(apt-get install postgresql; .ci/run installs it). No /usr/lib/postgresql/<version>/bin/initdb was found.",
    );
  }
  return path.join(root, newest, "bin");
}

/** initdb and postgres refuse to run as root; as root they run as the `postgres` user the package creates. */
function asServerUser(dir: string): string[] {
  if (process.getuid?.() !== 0) return [];
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  chownSync(dir, uid, gid);
  return ["runuser", "-u", "postgres", "--"];
}

function run(command: string[]): void {
  const [program, ...args] = command;
  execFileSync(program as string, args, { stdio: ["ignore", "ignore", "pipe"] });
}

async function startCluster(): Promise<Cluster> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), "cairn-postgres-"));
  const data = path.join(dir, "data");
  const socket = path.join(dir, "socket");
  mkdirSync(socket);
  const runAs = asServerUser(dir);
  if (runAs.length > 0) asServerUser(socket);
  process.once("exit", () => stopCluster(dir));
  // C.UTF-8: text sorts by code point, as on SQLite, and the cluster does not depend on the machine's locale.
  run([
    ...runAs,
    path.join(bin, "initdb"),
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
    "--no-sync",
  ]);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    try {
      await startServer(bin, runAs, dir, port);
      return { port, dir };
    } catch (error) {
      // Another process may have taken the port between freePort and listen: try another.
      lastError = error;
    }
  }
  throw lastError;
}

function startServer(bin: string, runAs: string[], dir: string, port: number): Promise<void> {
  const log = path.join(dir, `postgres-${port}.log`);
  const out = openSync(log, "w");
  const command = [
    ...runAs,
    path.join(bin, "postgres"),
    "-D",
    path.join(dir, "data"),
    "-p",
    String(port),
    "-k",
    path.join(dir, "socket"),
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "max_connections=200",
  ];
  const [program, ...args] = command;
  const child = spawn(program as string, args, { stdio: ["ignore", out, out] });
  // The cluster must not keep the test process alive; the exit hook stops it.
  child.unref();
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 30_000;
    let exited = false;
    child.once("exit", () => {
      exited = true;
    });
    const timer = setInterval(() => {
      const text = readFileSync(log, "utf8");
      if (text.includes("ready to accept connections")) {
        clearInterval(timer);
        resolve();
      } else if (exited || Date.now() > deadline) {
        clearInterval(timer);
        if (!exited) child.kill("SIGKILL");
        reject(new Error(`the test PostgreSQL server did not start on port ${port}:\n${text}`));
      }
    }, 50);
  });
}

/** Stops the server at once (no checkpoint: its files are deleted next) and removes its folder. */
function stopCluster(dir: string): void {
  const pidFile = path.join(dir, "data", "postmaster.pid");
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    try {
      process.kill(pid, "SIGQUIT");
    } catch {
      // Gone already.
    }
    const until = Date.now() + 5000;
    while (running(pid) && Date.now() < until)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Whether the process still runs; an exited one that its parent (maybe this process) has not reaped does not. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
