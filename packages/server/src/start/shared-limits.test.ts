import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createAccountBackoff, defaultAccountBackoff } from "../access/sessions/account-backoff.js";
import { encodeJzb } from "../collect/jzb.js";
import { createRecentBatches } from "../collect/recent-batches.js";
import { createWidgetLimiter, defaultWidgetLimits } from "../feedback/widget/widget-limits.js";
import { loadConfig } from "../platform/config/load-config.js";
import { createSharedCounts, type SharedCounts } from "../platform/limits/shared-counts.js";
import { type RunningCairn, startCairn } from "./start-cairn.js";
import { testPostgresUrl } from "./test-support/postgres-cluster.js";
import { tempDir } from "./test-support/temp-dir.js";

// Two servers on one PostgreSQL database, as behind a load balancer that alternates: a client's requests,
// failed sign-ins and key guesses count once for the installation, whichever server they reach, and a beacon
// re-sent to the other server is stored once.
let a: RunningCairn;
let b: RunningCairn;

const perAddress = 10; // requests per second, a burst of ten seconds' worth
const maxFailures = 4;
/** Counts are sent every 250 ms; this leaves room for the database's delivery on a busy machine. */
const shareMs = 800;

async function startServer(name: string, metadataUrl: string): Promise<RunningCairn> {
  const config = loadConfig(
    {
      dataDir: tempDir(`shared-limits-${name}`),
      port: "0",
      logLevel: "silent",
      metadataUrl,
      publicRatePerAddress: String(perAddress),
    },
    {},
    process.cwd(),
  );
  // The account backoff frees 3 failures, then locks for a minute: the tests of the address limit use an
  // account each, so only the test of the backoff reaches it.
  const account = { freeFailures: 3, baseDelayMs: 60_000, maxDelayMs: 60_000, forgetAfterMs: 60_000 };
  return startCairn(config, {
    signInLimits: { maxFailuresPerAddress: maxFailures, account: { ...account, capacity: 1_000 } },
    verifier: { maxFailuresPerWindow: maxFailures },
  });
}

before(async () => {
  const metadataUrl = await testPostgresUrl("shared-limits");
  a = await startServer("a", metadataUrl);
  b = await startServer("b", metadataUrl);
});
after(async () => {
  await b?.shutdown();
  await a?.shutdown();
});

async function signIn(server: RunningCairn, address: string, email: string): Promise<string | undefined> {
  const response = await server.app.inject({
    method: "POST",
    url: "/api/admin/sign-in",
    payload: { email, password: "a wrong password" },
    remoteAddress: address,
  });
  return (response.json() as { error?: { code?: string } }).error?.code;
}

test("failed sign-ins from one address count on both servers", async () => {
  const address = "198.51.100.40";
  const codes = [
    await signIn(a, address, "first@example.com"),
    await signIn(b, address, "second@example.com"),
    await signIn(a, address, "third@example.com"),
    await signIn(b, address, "fourth@example.com"),
  ];
  assert.deepEqual(codes, Array(4).fill("invalid_credentials"), "two failures on each server");
  await sleep(shareMs);
  assert.equal(await signIn(a, address, "fifth@example.com"), "rate_limited", "the fifth, on one server");
  assert.equal(await signIn(b, address, "sixth@example.com"), "rate_limited", "and on the other");
});

test("an account's backoff counts failures from every server and address", async () => {
  const email = "shared-account@example.com";
  assert.equal(await signIn(a, "198.51.100.50", email), "invalid_credentials");
  assert.equal(await signIn(a, "198.51.100.51", email), "invalid_credentials");
  assert.equal(await signIn(b, "198.51.100.52", email), "invalid_credentials");
  assert.equal(await signIn(b, "198.51.100.53", email), "invalid_credentials", "the fourth locks it");
  await sleep(shareMs);
  assert.equal(await signIn(a, "198.51.100.54", email), "rate_limited", "the server that saw two");
});

test("guessed integration keys from one address count on both servers", async () => {
  const guess = async (server: RunningCairn) => {
    const response = await server.app.inject({
      method: "GET",
      url: "/api/v1/visitor/someone",
      headers: { "x-pendo-integration-key": "not-a-key-at-all" },
      remoteAddress: "198.51.100.60",
    });
    return (response.json() as { error?: { code?: string } }).error?.code;
  };
  const codes = [await guess(a), await guess(b), await guess(a), await guess(b)];
  assert.deepEqual(codes, Array(4).fill("invalid_key"));
  await sleep(shareMs);
  assert.equal(await guess(a), "rate_limited");
  assert.equal(await guess(b), "rate_limited");
});

test("requests from one address are limited by what it sent to both servers", async () => {
  const burst = perAddress * 10;
  const { appKey } = a.installation.app;
  // No jzb: refused with 400 after the limit has counted it, so nothing is stored.
  const call = async (server: RunningCairn) =>
    (
      await server.app.inject({
        method: "GET",
        url: `/data/ptm.gif/${appKey}`,
        remoteAddress: "203.0.113.70",
      })
    ).statusCode;
  const startedMs = Date.now();
  const first = await Promise.all(Array.from({ length: 70 }, () => call(a)));
  assert.deepEqual(new Set(first), new Set([400]), "70 of a burst of 100 on one server");
  await sleep(shareMs);
  const second = await Promise.all(Array.from({ length: 70 }, () => call(b)));
  const admitted = second.filter((status) => status === 400).length;
  const refilled = Math.ceil((perAddress * (Date.now() - startedMs)) / 1000);
  assert.ok(
    second.filter((status) => status === 429).length > 0,
    "the other server refuses some: it knows of the first 70",
  );
  assert.ok(
    admitted <= burst - 70 + refilled + 1,
    `the other server admitted ${admitted}, at most the burst's rest (${burst - 70}) and ${refilled} earned`,
  );
});

test("a beacon re-sent to the other server is answered as the first but stored once", async () => {
  const { appKey } = a.installation.app;
  const events = (visitorId: string) =>
    [1, 2, 3].map((i) => ({
      type: "load",
      visitor_id: visitorId,
      url: `https://app.example.com/${i}`,
      browser_time: Date.now(),
      props: {},
    }));
  const send = (server: RunningCairn, jzb: string) =>
    server.app.inject({
      method: "GET",
      url: `/data/ptm.gif/${appKey}?v=2.0.0&ct=1&jzb=${jzb}`,
      remoteAddress: "203.0.113.80",
    });
  const duplicates = () => b.drops.get("duplicate_batch") ?? 0;
  const jzb = encodeJzb(events("re-sent"));
  assert.equal((await send(a, jzb)).statusCode, 200);
  await sleep(shareMs);
  const before = duplicates();
  assert.equal((await send(b, jzb)).statusCode, 200, "the copy is answered as delivered");
  assert.equal(duplicates() - before, 3, "and its three events dropped as a copy");
  assert.equal((await send(b, encodeJzb(events("another")))).statusCode, 200);
  assert.equal(duplicates() - before, 3, "a different batch is stored");
});

/** The limiters themselves, each server's with counts shared through its own store. */
async function sharedPair(): Promise<[SharedCounts, SharedCounts]> {
  assert.ok(a.metadata.broadcast && b.metadata.broadcast);
  return [
    await createSharedCounts(a.metadata.broadcast, { flushMs: 50 }),
    await createSharedCounts(b.metadata.broadcast, { flushMs: 50 }),
  ];
}
const closeAll = (pair: SharedCounts[]) => Promise.all(pair.map((counts) => counts.close()));

test("a successful sign-in on one server starts the account over on the other", async () => {
  const pair = await sharedPair();
  try {
    const options = { ...defaultAccountBackoff, freeFailures: 3, baseDelayMs: 60_000 };
    const [onA, onB] = pair.map((counts) => createAccountBackoff(options, counts));
    assert.ok(onA && onB);
    const now = Date.now();
    for (let i = 0; i < 3; i++) assert.ok(onA.countAttempt("owner@example.com", now).admitted);
    const success = onB.countAttempt("owner@example.com", now);
    assert.ok(success.admitted, "B had seen none of them yet");
    success.refund();
    await sleep(shareMs);
    assert.ok(onA.countAttempt("owner@example.com", now).admitted, "A started over: its 1st failure");
    assert.ok(onA.countAttempt("owner@example.com", now).admitted, "2nd");
    assert.ok(onA.countAttempt("owner@example.com", now).admitted, "3rd");
    assert.ok(onA.countAttempt("owner@example.com", now).admitted, "4th: admitted, and it locks");
    assert.equal(onA.countAttempt("owner@example.com", now).admitted, false);
  } finally {
    await closeAll(pair);
  }
});

test("the feedback panel's ideas per visitor count on both servers", async () => {
  const pair = await sharedPair();
  try {
    const limits = { ...defaultWidgetLimits, ideasPerVisitor: 2 };
    const [onA, onB] = pair.map((counts) => createWidgetLimiter(limits, counts));
    assert.ok(onA && onB);
    onA.take("idea", "app", "visitor-1", "198.51.100.90");
    onB.take("idea", "app", "visitor-1", "198.51.100.91");
    await sleep(shareMs);
    assert.throws(() => onA.take("idea", "app", "visitor-1", "198.51.100.92"), /Too many ideas/);
    onA.take("vote", "app", "visitor-1", "198.51.100.92"); // votes are counted apart
  } finally {
    await closeAll(pair);
  }
});

test("a beacon forgotten on one server (it could not be logged) is accepted again on the other", async () => {
  const pair = await sharedPair();
  try {
    const [onA, onB] = pair.map((counts) => createRecentBatches(100, counts));
    assert.ok(onA && onB);
    assert.equal(onA.claim("app::batch"), true);
    await sleep(shareMs);
    assert.equal(onB.claim("app::batch"), false, "B remembers A's claim");
    onA.release("app::batch");
    await sleep(shareMs);
    assert.equal(onB.claim("app::batch"), true, "and A's release");
  } finally {
    await closeAll(pair);
  }
});
