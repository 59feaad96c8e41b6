import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createKey } from "../../access/keys/key-service.js";
import { encodeJzb } from "../../collect/jzb.js";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { type Answer, callApi, errorOf, type Json } from "../../start/test-support/api-calls.js";
import {
  type KeysOfEveryKind,
  keysOfEveryKind,
  otherSubscriptionKey,
} from "../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../start/test-support/temp-dir.js";

let cairn: RunningCairn;
let keys: KeysOfEveryKind;
let readKey: string;
let otherKey: string;
let firstJob: string;

const gone = "gone@example.com";
const anonymous = "_PENDO_T_gone0001";

const call = (method: string, path: string, options: Parameters<typeof callApi>[3] = {}) =>
  callApi(cairn, method, path, options);

function expectError(answer: Answer, status: number, code: string, message?: RegExp): void {
  assert.equal(answer.status, status, answer.text);
  assert.equal(errorOf(answer).code, code);
  if (message) assert.match(errorOf(answer).message, message);
}

async function beacon(events: Json[]): Promise<void> {
  const answer = await cairn.app.inject({
    method: "GET",
    url: `/data/ptm.gif/${keys.app}?v=2.291.4_prod&ct=${Date.now()}&jzb=${encodeJzb(events)}`,
  });
  assert.equal(answer.statusCode, 200, answer.body);
}

const event = (visitor: string, type = "load", props: Json = {}) => ({
  type,
  visitor_id: visitor,
  account_id: "acme",
  url: "https://app.example.com/home",
  browser_time: Date.now() - 60_000,
  props,
});

/** The visitors with events in the last two days, through the query engine. */
async function visitorsWithEvents(): Promise<string[]> {
  const answer = await call("POST", "/api/v1/aggregation", {
    key: readKey,
    body: {
      request: {
        pipeline: [
          {
            source: {
              singleEvents: null,
              timeSeries: { period: "dayRange", first: 'dateAdd(now(), -1, "days")', count: 2 },
            },
          },
        ],
      },
    },
  });
  assert.equal(answer.status, 200, answer.text);
  return [...new Set((answer.body.results as Json[]).map((r) => String(r.visitorId)))].sort();
}

/** The visitors the aggregation's visitors source reads (the profile mirror). */
async function mirroredVisitors(): Promise<string[]> {
  const answer = await call("POST", "/api/v1/aggregation", {
    key: readKey,
    body: { request: { pipeline: [{ source: { visitors: null } }, { select: { visitorId: "visitorId" } }] } },
  });
  assert.equal(answer.status, 200, answer.text);
  return (answer.body.results as Json[]).map((r) => String(r.visitorId)).sort();
}

async function jobCount(): Promise<number> {
  return (await cairn.metadata.db.selectFrom("bulk_deletes").select("id").execute()).length;
}

before(async () => {
  cairn = await startCairn(
    loadConfig({ dataDir: tempDir("bulk-delete"), port: "0", logLevel: "silent" }, {}, process.cwd()),
  );
  keys = await keysOfEveryKind(cairn);
  readKey = (
    await createKey(cairn.metadata.db, {
      subscriptionId: cairn.installation.subscription.id,
      kind: "integration",
      description: "ro",
      actor: "test",
    })
  ).key;
  otherKey = await otherSubscriptionKey(cairn, "integration");
  await beacon([
    event(anonymous),
    event(gone, "identify", { old_visitor_id: anonymous, visitor_id: gone, account_id: "acme" }),
    event(gone),
    event(gone, "click"),
    event("kept"),
  ]);
  const accounts = await call("POST", "/api/v1/metadata/account/custom/value?create=true", {
    key: keys.integration,
    body: [
      { accountId: "globex", values: { tier: "gold" } },
      { accountId: "initech", values: { tier: "silver" } },
    ],
  });
  assert.equal(accounts.status, 200, accounts.text);
  await cairn.writer.flush();
});
after(() => cairn.shutdown());

describe("v1 bulk delete", () => {
  test("POST /bulkdelete/visitor removes the visitors, their anonymous aliases and their events: a finished job", async () => {
    assert.deepEqual(await visitorsWithEvents(), [anonymous, gone, "kept"].sort());
    assert.deepEqual(await mirroredVisitors(), [anonymous, gone, "kept"].sort());
    // Sent just before the request, not yet loaded: the deletion loads it first, then deletes it too.
    await beacon([event(gone, "focus")]);
    const answer = await call("POST", "/api/v1/bulkdelete/visitor", {
      key: keys.integration,
      body: { visitors: [gone, "never-seen", gone] },
    });
    assert.equal(answer.status, 200, answer.text);
    firstJob = String(answer.body.id);
    assert.match(firstJob, /^bdel_/);
    assert.deepEqual(
      { ...answer.body, id: "", createdAt: 0, finishedAt: 0, createdBy: "" },
      {
        id: "",
        kind: "visitor",
        state: "complete",
        requested: 2,
        removedProfiles: 2,
        // The anonymous load; gone's identify, load, click and focus.
        removedEvents: 5,
        createdAt: 0,
        createdBy: "",
        finishedAt: 0,
      },
    );
    assert.ok((answer.body.finishedAt as number) >= (answer.body.createdAt as number));
    expectError(
      await call("GET", `/api/v1/visitor/${encodeURIComponent(gone)}`, { key: readKey }),
      404,
      "not_found",
    );
    expectError(await call("GET", `/api/v1/visitor/${anonymous}`, { key: readKey }), 404, "not_found");
    assert.deepEqual(await visitorsWithEvents(), ["kept"]);
    assert.deepEqual(await mirroredVisitors(), ["kept"], "the profile mirror dropped them too");
  });

  test("a repeat deletes nothing more; accounts go with a bare list, their visitors and events staying", async () => {
    const again = await call("POST", "/api/v1/bulkdelete/visitor", { key: keys.integration, body: [gone] });
    assert.deepEqual(
      [again.body.state, again.body.removedProfiles, again.body.removedEvents],
      ["complete", 0, 0],
    );
    const accounts = await call("POST", "/api/v1/bulkdelete/account", {
      key: keys.integration,
      body: ["globex"],
    });
    assert.equal(accounts.status, 200, accounts.text);
    assert.deepEqual(
      [accounts.body.kind, accounts.body.removedProfiles, accounts.body.removedEvents],
      ["account", 1, 0],
    );
    expectError(await call("GET", "/api/v1/account/globex", { key: readKey }), 404, "not_found");
    assert.equal((await call("GET", "/api/v1/account/initech", { key: readKey })).status, 200);
    assert.deepEqual(await visitorsWithEvents(), ["kept"]);
  });

  test("GET /bulkdelete lists the jobs, newest first; GET /bulkdelete/:id answers one", async () => {
    const listed = await call("GET", "/api/v1/bulkdelete?limit=10", { key: readKey });
    assert.equal(listed.status, 200, listed.text);
    const jobs = listed.body as Json[];
    assert.deepEqual(
      jobs.map((j) => j.kind),
      ["account", "visitor", "visitor"],
    );
    assert.equal(jobs.at(-1)?.id, firstJob);
    const one = await call("GET", `/api/v1/bulkdelete/${firstJob}`, { key: readKey });
    assert.deepEqual(one.body, jobs.at(-1));
  });

  test("a bad body is a 400 naming the problem, and nothing is deleted or recorded", async () => {
    const before = await jobCount();
    for (const [path, body, message] of [
      ["/api/v1/bulkdelete/visitor", { accounts: ["kept"] }, /Unknown field "accounts"/],
      ["/api/v1/bulkdelete/visitor", { visitors: [] }, /empty/],
      ["/api/v1/bulkdelete/visitor", [42], /visitors\[0\] is 42/],
      ["/api/v1/bulkdelete/visitor", {}, /the list of ids/],
      ["/api/v1/bulkdelete/account", { accounts: "initech" }, /the list of ids/],
    ] as const) {
      expectError(await call("POST", path, { key: keys.integration, body }), 400, "bad_request", message);
    }
    assert.equal(await jobCount(), before);
    assert.deepEqual(await visitorsWithEvents(), ["kept"]);
  });

  test("a read-only key lists but cannot delete; another subscription finds no job and deletes none of ours", async () => {
    expectError(
      await call("POST", "/api/v1/bulkdelete/visitor", { key: readKey, body: ["kept"] }),
      403,
      "insufficient_scope",
    );
    expectError(await call("GET", `/api/v1/bulkdelete/${firstJob}`, { key: otherKey }), 404, "not_found");
    assert.deepEqual((await call("GET", "/api/v1/bulkdelete", { key: otherKey })).body, []);
    const theirs = await call("POST", "/api/v1/bulkdelete/visitor", { key: otherKey, body: ["kept"] });
    assert.deepEqual([theirs.status, theirs.body.removedProfiles, theirs.body.removedEvents], [200, 0, 0]);
    assert.deepEqual(await visitorsWithEvents(), ["kept"]);
    assert.equal((await call("GET", "/api/v1/visitor/kept", { key: readKey })).status, 200);
  });
});
