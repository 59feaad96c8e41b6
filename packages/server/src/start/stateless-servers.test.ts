import assert from "node:assert/strict";
import { once } from "node:events";
import path from "node:path";
import { after, before, test } from "node:test";
import { encodeJzb } from "../collect/jzb.js";
import { type ChdbEndpoint, startChdbEndpoint } from "./test-support/chdb-endpoint-process.js";
import { testPostgresUrl } from "./test-support/postgres-cluster.js";
import { integrationKeyByCli, runCli, type StartedServer, startServerCli } from "./test-support/run-cli.js";
import { tempDir } from "./test-support/temp-dir.js";

/**
 * Two `cairn start` processes on one PostgreSQL database and one ClickHouse (the current engine, over HTTP),
 * each with its own data folder: a load balancer may send any request to either.
 */
type Server = StartedServer;

let endpoint: ChdbEndpoint;
let env: (server: string) => Record<string, string>;
let cwd: string;
const servers = new Map<string, Server>();

async function startServer(name: string): Promise<Server> {
  const server = await startServerCli({ cwd, env: env(name) });
  servers.set(name, server);
  return server;
}

const loads = (visitorId: string, count: number) =>
  Array.from({ length: count }, (_, i) => ({
    type: "load",
    visitor_id: visitorId,
    account_id: "acme",
    url: `https://app.example.com/page/${i}`,
    browser_time: Date.now(),
    props: {},
  }));

const beacon = (server: Server, visitorId: string, count = 4) =>
  fetch(
    `${server.url}/data/ptm.gif/${server.appKey}?v=2.0.0&ct=${Date.now()}&jzb=${encodeJzb(loads(visitorId, count))}`,
  );

/** Events per visitor, by the v1 aggregation API of one server. */
async function eventsPerVisitor(server: Server, key: string): Promise<Map<string, number>> {
  const response = await fetch(`${server.url}/api/v1/aggregation`, {
    method: "POST",
    headers: { "x-pendo-integration-key": key, "content-type": "application/json" },
    body: JSON.stringify({
      response: { mimeType: "application/json" },
      request: {
        pipeline: [
          { source: { events: null, timeSeries: { period: "dayRange", first: "now()", count: 1 } } },
          { group: { group: ["visitorId"], fields: { events: { sum: "numEvents" } } } },
        ],
      },
    }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const { results } = (await response.json()) as { results: Array<{ visitorId: string; events: number }> };
  return new Map(results.map((r) => [r.visitorId, r.events]));
}

/** Polls until `check` holds (loads are asynchronous to acknowledgements), failing after `ms`. */
async function eventually(check: () => Promise<boolean>, ms: number, what: () => string): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    assert.ok(Date.now() < until, `${what()} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let integrationKey: string;

before(async () => {
  cwd = tempDir("stateless");
  endpoint = await startChdbEndpoint();
  const metadataUrl = await testPostgresUrl("stateless");
  const eventsUrl = endpoint.url("cairn_stateless");
  env = (server) => ({
    CAIRN_METADATA_URL: metadataUrl,
    CAIRN_EVENTS_URL: eventsUrl,
    CAIRN_DATA_DIR: path.join(cwd, server),
  });
  // Both at once against the empty databases: one installation, shared.
  const [a, b] = await Promise.all([startServer("a"), startServer("b")]);
  assert.equal(a.appKey, b.appKey, "one subscription and app, whichever server made them");
  const cli = (args: string[]) => runCli(args, { cwd, env: env("cli") });
  integrationKey = (await integrationKeyByCli(cli, "two servers")).key;
});

after(async () => {
  for (const server of servers.values()) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill("SIGTERM");
      await once(server.child, "exit");
    }
  }
  await endpoint?.stop();
});

test("beacons to both servers are seen by an aggregation on either", async () => {
  const a = servers.get("a");
  const b = servers.get("b");
  assert.ok(a && b);
  const sent: Array<Promise<Response>> = [];
  for (let i = 0; i < 10; i++) sent.push(beacon(i % 2 ? b : a, `visitor-${i}`));
  for (const response of await Promise.all(sent)) assert.equal(response.status, 200);
  for (const server of [a, b])
    await eventually(
      async () => {
        const counts = await eventsPerVisitor(server, integrationKey);
        return Array.from({ length: 10 }, (_, i) => counts.get(`visitor-${i}`)).every((n) => n === 4);
      },
      10_000,
      () => `every visitor's 4 events counted by ${server === a ? "A" : "B"}`,
    );
});

test("a batch re-sent to the other server is answered there but counted once", async () => {
  const a = servers.get("a");
  const b = servers.get("b");
  assert.ok(a && b);
  // The same URL, as the agent sends it again after an answer it did not see (its `ct` aside).
  const jzb = encodeJzb(loads("re-sent", 3));
  const url = (server: Server) => `${server.url}/data/ptm.gif/${server.appKey}?v=2.0.0&ct=1&jzb=${jzb}`;
  assert.equal((await fetch(url(a))).status, 200);
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // the servers share what they remember every 250 ms
  assert.equal((await fetch(url(b))).status, 200);
  await eventually(
    async () => (await eventsPerVisitor(b, integrationKey)).get("re-sent") === 3,
    10_000,
    () => "the first copy's 3 events counted",
  );
  // B wrote nothing of its copy: a second beacon sent to B after it is loaded, so once it is counted the copy would be too.
  assert.equal((await beacon(b, "after-the-copy", 1)).status, 200);
  await eventually(
    async () => (await eventsPerVisitor(b, integrationKey)).get("after-the-copy") === 1,
    10_000,
    () => "B's next beacon counted",
  );
  assert.equal((await eventsPerVisitor(a, integrationKey)).get("re-sent"), 3, "3, not 6");
});

test("a session made on one server works on the other", async () => {
  const a = servers.get("a");
  const b = servers.get("b");
  assert.ok(a && b);
  // Each start prints a one-time link; any works until one is used: the one server B printed, on server A.
  const signIn = (token: string) =>
    fetch(`${a.url}/api/admin/sign-in/link`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
    });
  const signedIn = await signIn(b.signInToken);
  assert.equal(signedIn.status, 200);
  assert.equal((await signIn(a.signInToken)).status, 401, "and the one A printed is spent with it");
  const cookie = /^(cairn_session=[^;]+)/.exec(signedIn.headers.get("set-cookie") ?? "")?.[1] ?? "";
  const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
  const onB = await fetch(`${b.url}/api/admin/keys`, { headers: { cookie } });
  assert.equal(onB.status, 200, "B knows A's session");
  const made = await fetch(`${b.url}/api/admin/keys`, {
    method: "POST",
    headers: { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" },
    body: JSON.stringify({ kind: "integration", description: "made on B with A's session" }),
  });
  assert.equal(made.status, 201, await made.clone().text());
});

test("a server killed with kill -9 under load loses no acknowledged beacon: started again, it loads its log", async (t) => {
  const b = servers.get("b");
  const a = servers.get("a");
  assert.ok(a && b);
  const acknowledged = new Set<string>();
  let sending = true;
  const senders = Array.from({ length: 8 }, async (_, sender) => {
    for (let i = 0; sending; i++) {
      const visitorId = `under-load-${sender}-${i}`;
      try {
        const response = await beacon(b, visitorId, 8);
        if (response.status === 200) acknowledged.add(visitorId);
      } catch {
        return; // the server is gone
      }
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 700));
  b.child.kill("SIGKILL");
  await once(b.child, "exit");
  sending = false;
  await Promise.all(senders);
  assert.ok(acknowledged.size > 20, `only ${acknowledged.size} beacons acknowledged before the kill`);

  const before = await eventsPerVisitor(a, integrationKey);
  const waiting = [...acknowledged].filter((visitorId) => before.get(visitorId) !== 8).length;
  t.diagnostic(
    `${acknowledged.size} beacons acknowledged before the kill, ${waiting} of them not yet loaded`,
  );
  // Its log is on its own disk: started again on the same data folder, it loads what it acknowledged.
  await startServer("b");
  let wrong: string[] = [];
  await eventually(
    async () => {
      const counts = await eventsPerVisitor(a, integrationKey);
      wrong = [...acknowledged].filter((v) => counts.get(v) !== 8).map((v) => `${v}: ${counts.get(v)}`);
      return wrong.length === 0;
    },
    15_000,
    () =>
      `all ${acknowledged.size} acknowledged beacons' events counted, each once (not: ${wrong.slice(0, 5).join(", ")})`,
  );
});
