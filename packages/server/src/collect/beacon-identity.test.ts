import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setVisitorIdentity } from "../access/apps/app-keys.js";
import type { IdentityMode, UnsignedEvents } from "../access/identity/identity-policy.js";
import { seconds, signIdentityToken } from "../access/identity/test-support/sign-identity-token.js";
import { createKey } from "../access/keys/key-service.js";
import { loadConfig } from "../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../start/start-cairn.js";
import { tempDir } from "../start/test-support/temp-dir.js";
import { readEvents } from "../store/events/event-reads.js";
import { encodeJzb } from "./jzb.js";

let cairn: RunningCairn;
let appKey: string;
let appId: string;
let subscriptionId: string;
let secret: string;

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("beacon-identity"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config, { verifier: { pollMs: 20 } });
  appKey = cairn.installation.app.appKey;
  appId = cairn.installation.app.id;
  subscriptionId = cairn.installation.subscription.id;
  secret = (
    await createKey(cairn.metadata.db, {
      subscriptionId,
      kind: "identity",
      appId,
      description: "shop back end",
      actor: "test",
    })
  ).key;
});
after(() => cairn.shutdown());

const tokenFor = (sub: string) => signIdentityToken(secret, { sub, exp: seconds(Date.now()) + 600 });

function events(visitorId: string, email = "owner@example.com") {
  const t = Date.now();
  const common = { visitor_id: visitorId, account_id: "acme", url: "https://shop.example/", props: {} };
  return [
    {
      ...common,
      type: "meta",
      browser_time: t,
      props: { visitor: { id: visitorId, email }, account: { id: "acme" } },
    },
    { ...common, type: "load", browser_time: t + 1 },
  ];
}

async function send(batch: unknown[], token?: { in: "query" | "body"; jwt: string }): Promise<void> {
  const jzb = encodeJzb(batch);
  const url = `${cairn.publicUrl}/data/ptm.gif/${appKey}`;
  const response =
    token?.in === "body"
      ? await fetch(`${url}?v=2.291.4_prod&ct=${Date.now()}&s=${jzb.length}`, {
          method: "POST",
          // As Pendo's agent sends signed metadata from sendBeacon: text/plain, jwt beside events.
          headers: { "content-type": "text/plain;charset=UTF-8" },
          body: JSON.stringify({ events: jzb, jwt: token.jwt, signingKeyName: "shop" }),
        })
      : await fetch(`${url}?v=0.1.0&ct=${Date.now()}&jzb=${jzb}${token ? `&jwt=${token.jwt}` : ""}`);
  assert.equal(response.status, 200, "answered as delivered: a refusal would be re-sent for ever");
  assert.equal(response.headers.get("content-type"), "image/gif");
}

async function stored(visitorId: string) {
  await cairn.writer.flush();
  const all = await readEvents(cairn.events, { subscriptionId });
  // Events of one beacon share their receive time; their order among themselves is not kept.
  return all
    .filter((e) => e.visitorId === visitorId)
    .map((e): [string, boolean] => [e.type, e.unsignedIdentity === true])
    .sort((a, b) => Number(a[1]) - Number(b[1]) || a[0].localeCompare(b[0]));
}

let probes = 0;
/** Sets the requirement and waits until the collector's app cache answers by it (a probe beacon shows it). */
async function requireIdentity(mode: IdentityMode, unsignedEvents: UnsignedEvents): Promise<void> {
  await setVisitorIdentity(cairn.metadata.db, { subscriptionId, appId, mode, unsignedEvents, actor: "test" });
  const expected = mode !== "panel_and_events" ? [] : unsignedEvents === "flag" ? [["load", true]] : "none";
  const deadline = Date.now() + 5_000;
  for (;;) {
    const probe = `probe-${probes++}`;
    await send([events(probe)[1]]);
    const seen = await stored(probe);
    const flags = seen.filter(([, flagged]) => flagged);
    if (expected === "none" ? seen.length === 0 : JSON.stringify(flags) === JSON.stringify(expected)) return;
    assert.ok(Date.now() < deadline, "the app cache picks up the setting");
  }
}

test("with the setting off, beacons are taken as Pendo's agent sends them, unflagged", async () => {
  await send(events("plain-visitor"));
  assert.deepEqual(await stored("plain-visitor"), [
    ["load", false],
    ["meta", false],
  ]);
  const script = await (await fetch(`${cairn.publicUrl}/agent/static/${appKey}/pendo.js`)).text();
  assert.equal(script.includes('"signedEvents":true'), false);
});

test("flag: an identified visitor's events without their token are stored flagged and change nothing of them", async () => {
  await send(events("victim", "victim@example.com"), { in: "query", jwt: tokenFor("victim") });
  await requireIdentity("panel_and_events", "flag");
  const script = await (await fetch(`${cairn.publicUrl}/agent/static/${appKey}/pendo.js`)).text();
  assert.ok(script.includes('"signedEvents":true'), "the agent is told to send its token on beacons");

  await send(events("victim", "attacker@evil.example"));
  await send(events("victim", "attacker@evil.example"), { in: "query", jwt: tokenFor("mallory") });
  await send(events("victim", "attacker@evil.example"), { in: "query", jwt: `${tokenFor("victim")}x` });
  assert.deepEqual(await stored("victim"), [
    ["load", false],
    ["meta", false],
    ["load", true],
    ["load", true],
    ["load", true],
    ["meta", true],
    ["meta", true],
    ["meta", true],
  ]);
  const profile = await cairn.profiles.visitor(subscriptionId, "victim");
  assert.equal(
    profile?.agentMetadata.email,
    "victim@example.com",
    "unsigned meta events do not rewrite the visitor",
  );

  // Signed, in the query (Cairn's agent) or in a POST body (Pendo's agent with signed metadata): unflagged.
  await send(events("signed-q"), { in: "query", jwt: tokenFor("signed-q") });
  await send(events("signed-b"), { in: "body", jwt: tokenFor("signed-b") });
  assert.deepEqual(await stored("signed-q"), [
    ["load", false],
    ["meta", false],
  ]);
  assert.deepEqual(await stored("signed-b"), [
    ["load", false],
    ["meta", false],
  ]);
  // An anonymous visitor claims no one's identity: no token needed.
  await send(events("_PENDO_T_abcdefghijk"));
  assert.deepEqual(await stored("_PENDO_T_abcdefghijk"), [
    ["load", false],
    ["meta", false],
  ]);
});

test("refuse: an identified visitor's events without their token are dropped and counted; signed ones are stored", async () => {
  await requireIdentity("panel_and_events", "refuse");
  const before = cairn.drops.get("unsigned_identity") ?? 0;
  await send(events("refused-visitor"));
  await send(events("refused-visitor"), { in: "query", jwt: tokenFor("someone-else") });
  assert.deepEqual(await stored("refused-visitor"), []);
  assert.equal((cairn.drops.get("unsigned_identity") ?? 0) - before, 4);
  assert.equal(await cairn.profiles.visitor(subscriptionId, "refused-visitor"), null);
  // A batch mixing a signed visitor's events with another visitor's keeps only the signed ones.
  await send([...events("kept-visitor"), ...events("smuggled-visitor")], {
    in: "query",
    jwt: tokenFor("kept-visitor"),
  });
  assert.deepEqual(await stored("kept-visitor"), [
    ["load", false],
    ["meta", false],
  ]);
  assert.deepEqual(await stored("smuggled-visitor"), []);
  await send(events("_PENDO_T_zyxwvutsrqp"));
  assert.equal((await stored("_PENDO_T_zyxwvutsrqp")).length, 2);
});
