import assert from "node:assert/strict";
import { once } from "node:events";
import path from "node:path";
import { test } from "node:test";
import { testPostgresUrl } from "../../start/test-support/postgres-cluster.js";
import {
  integrationKeyByCli,
  runCli,
  type StartedServer,
  startServerCli,
} from "../../start/test-support/run-cli.js";
import { tempDir } from "../../start/test-support/temp-dir.js";

/**
 * Each server's environment. On SQLite both share one metadata file; on PostgreSQL one database, with a data
 * folder each (profiles and events stay on each server's disk until their server engines exist).
 */
const engines: Array<{
  name: string;
  envFor: (cwd: string) => Promise<(server: string) => Record<string, string>>;
}> = [
  {
    name: "sqlite",
    envFor: async (cwd) => (server) => ({
      CAIRN_METADATA_URL: `sqlite:${path.join(cwd, "shared", "metadata.sqlite")}`,
      CAIRN_EVENTS_URL: `duckdb:${path.join(cwd, server, "events.duckdb")}`,
    }),
  },
  {
    name: "postgres",
    envFor: async (cwd) => {
      const url = await testPostgresUrl("two_servers");
      return (server) => ({ CAIRN_METADATA_URL: url, CAIRN_DATA_DIR: path.join(cwd, server) });
    },
  },
];

for (const engine of engines)
  test(`${engine.name}: a key revoked through one server's admin API is refused by a second server within one second`, async (t) => {
    const cwd = tempDir(`two-servers-${engine.name}`);
    const envFor = await engine.envFor(cwd);
    const servers: StartedServer[] = [];
    // One after the other, so the second finds the subscription the first created.
    for (const name of ["a", "b"]) servers.push(await startServerCli({ cwd, env: envFor(name) }));
    try {
      const cli = (args: string[]) => runCli(args, { cwd, env: envFor("cli") });
      const { key, id } = await integrationKeyByCli(cli, "shared");

      const status = (url: string) =>
        fetch(`${url}/api/v1/token/verify`, { headers: { "x-pendo-integration-key": key } }).then(
          (r) => r.status,
        );
      for (const server of servers)
        assert.equal(await status(server.url), 200, "both servers accept it (and cache it)");

      // Sign in on server A with the link server B printed: both share the metadata store.
      const [serverA, serverB] = servers;
      assert.ok(serverA && serverB);
      const signedIn = await fetch(`${serverA.url}/api/admin/sign-in/link`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: serverB.signInToken }),
      });
      assert.equal(signedIn.status, 200);
      const cookie = /^(cairn_session=[^;]+)/.exec(signedIn.headers.get("set-cookie") ?? "")?.[1] ?? "";
      const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
      const revoked = await fetch(`${serverA.url}/api/admin/keys/${id}/revoke`, {
        method: "POST",
        headers: { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" },
        body: "{}",
      });
      assert.equal(revoked.status, 200);
      const revokedAt = Date.parse(((await revoked.json()) as { revokedAt: string }).revokedAt);

      const refusedAfterMs: number[] = [];
      // Server B first: it learns of the revocation only through the shared store.
      for (const server of [serverB, serverA]) {
        for (;;) {
          if ((await status(server.url)) === 401) break;
          assert.ok(Date.now() - revokedAt < 5_000, "still accepted 5 s after revocation");
          await new Promise((r) => setTimeout(r, 10));
        }
        refusedAfterMs.push(Date.now() - revokedAt);
      }
      // Measured from the commit of the revocation, so the CLI's own start-up time does not count against it.
      t.diagnostic(`refused ${refusedAfterMs.join(" and ")} ms after the revocation (server B, then A)`);
      for (const ms of refusedAfterMs) assert.ok(ms < 1_000, `refused ${ms} ms after revocation`);
    } finally {
      for (const server of servers) {
        server.child.kill("SIGTERM");
        await once(server.child, "exit");
      }
    }
  });
