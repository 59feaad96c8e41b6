import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { deflateSync } from "node:zlib";
import { rollAppKey, setAllowedOrigins } from "../access/apps/app-keys.js";
import { addExcludeRule } from "../access/exclude/exclude-service.js";
import { createKey, setIntegrationKeysEnabled } from "../access/keys/key-service.js";
import { loadConfig } from "../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../start/start-cairn.js";
import { tempDir } from "../start/test-support/temp-dir.js";
import { readEvents } from "../store/events/event-reads.js";
import { encodeJzb } from "./jzb.js";

let cairn: RunningCairn;
let base: string;
let appKey: string;

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("collect"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config, { verifier: { pollMs: 50 } });
  base = cairn.publicUrl;
  appKey = cairn.installation.app.appKey;
});
after(() => cairn.shutdown());

const chromeUa =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";

/** agent-wire.md §5.3's captured first request, with browser times moved to now so the test does not age. */
function capturedFirstBatch(visitorId: string) {
  const t = Date.now() - 5_000;
  const common = {
    visitor_id: visitorId,
    account_id: "acme",
    url: "http://127.0.0.1:44601/?data=x",
    parentTabId: null,
    tabId: "9nuooDYUDjDns1zv",
    frameId: "3r0MBOwHGsRwCWQg",
    sessionId: "aRq8Acr7OFvpVuhw",
    utm: { channel: "Direct" },
  };
  return [
    {
      type: "identify",
      browser_time: t,
      ...common,
      props: { old_account_id: null, visitor_id: visitorId, account_id: "acme" },
      sequence: 0,
      bytes: 370,
    },
    {
      type: "meta",
      browser_time: t + 4,
      ...common,
      props: {
        visitor: { id: visitorId, email: "a@b.c", language: "en_US" },
        account: { id: "acme" },
        parentAccount: {},
        date: "23/11/2026",
        version: "2.291.4_prod",
        selfHosted: true,
      },
      sequence: 1,
      bytes: 469,
    },
    { type: "load", browser_time: t + 6, ...common, props: { load_time: 220.5 }, sequence: 2, bytes: 324 },
  ];
}

async function stored(visitorId: string) {
  await cairn.writer.flush();
  const events = await readEvents(cairn.events, { subscriptionId: cairn.installation.subscription.id });
  return events.filter((e) => e.visitorId === visitorId);
}

async function beacon(path: string, init?: RequestInit) {
  const response = await fetch(`${base}${path}`, { headers: { "user-agent": chromeUa }, ...init });
  return {
    status: response.status,
    headers: response.headers,
    body: Buffer.from(await response.arrayBuffer()),
  };
}

describe("collector", () => {
  test("a GET beacon shaped like the captured first request is stored field by field and answered with a GIF", async () => {
    const batch = capturedFirstBatch("v-get");
    const response = await beacon(
      `/data/ptm.gif/${appKey}?v=2.291.4_prod&ct=${Date.now()}&jzb=${encodeJzb(batch)}`,
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "image/gif");
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.equal(response.body.length, 43);
    assert.equal(response.body.subarray(0, 6).toString(), "GIF89a");

    const events = await stored("v-get");
    assert.deepEqual(
      events
        .map((e) => [e.type, e.accountId, e.url, e.occurredAt, e.appId, e.isBot, e.ip, e.userAgent])
        .sort(),
      batch
        .map((b) => [
          b.type,
          "acme",
          b.url,
          b.browser_time,
          cairn.installation.app.id,
          false,
          "127.0.0.1",
          chromeUa,
        ])
        .sort(),
    );
    const meta = events.find((e) => e.type === "meta");
    assert.deepEqual(JSON.parse(meta?.properties ?? "{}").props.visitor, {
      id: "v-get",
      email: "a@b.c",
      language: "en_US",
    });
    assert.equal(JSON.parse(meta?.properties ?? "{}").tabId, "9nuooDYUDjDns1zv");
  });

  test("type=track and click events keep their name and element chain; a retry (rt=1) is stored once", async () => {
    const now = Date.now();
    const track = [
      {
        type: "track",
        browser_time: now,
        visitor_id: "v-track",
        account_id: "acme",
        url: "http://x/",
        props: { plan: "pro" },
        track_event_name: "Signed Up",
        sequence: 6,
      },
    ];
    const jzb = encodeJzb(track);
    assert.equal(
      (await beacon(`/data/ptm.gif/${appKey}?v=2.291.4_prod&ct=${now}&jzb=${jzb}&type=track`)).status,
      200,
    );
    assert.equal(
      (await beacon(`/data/ptm.gif/${appKey}?v=2.291.4_prod&ct=${now}&jzb=${jzb}&type=track&rt=1`)).status,
      200,
    );
    const tracks = await stored("v-track");
    assert.deepEqual(
      tracks.map((e) => [e.type, e.trackName]),
      [["track", "Signed Up"]],
      "the re-sent copy is acknowledged but not stored again",
    );
    assert.ok(tracks[0]?.batchKey, "the batch key identifies the payload");
    assert.ok((cairn.drops.get("duplicate_batch") ?? 0) >= 1, "the copy is counted");
    // The same events on the ptm queue (no type=track) are another beacon, not a copy.
    assert.equal((await beacon(`/data/ptm.gif/${appKey}?v=2.291.4_prod&ct=${now}&jzb=${jzb}`)).status, 200);
    assert.equal((await stored("v-track")).length, 2);

    const click = [
      {
        type: "click",
        browser_time: now,
        visitor_id: "v-click",
        account_id: null,
        url: "http://x/",
        props: {
          target: {
            tag: "BUTTON",
            id: "signup",
            cls: "btn btn-primary",
            attrs: { name: "signup" },
            parentElem: {
              tag: "DIV",
              id: "toolbar",
              cls: "toolbar main",
              parentElem: { tag: "BODY", id: "", cls: "" },
            },
          },
          flags: ["left"],
        },
      },
    ];
    assert.equal((await beacon(`/data/ptm.gif/${appKey}?jzb=${encodeJzb(click)}`)).status, 200);
    const [stored_] = await stored("v-click");
    assert.equal(stored_?.elementPath, "BUTTON#signup.btn.btn-primary < DIV#toolbar.toolbar.main < BODY");
    assert.equal(stored_?.accountId, null);
    assert.equal(
      JSON.parse(stored_?.properties ?? "{}").props.target.attrs.name,
      "signup",
      "the whole chain is kept for feature rules",
    );
  });

  test("POST with {events} as application/json and as text/plain (sendBeacon), after a CORS preflight", async () => {
    const preflight = await fetch(`${base}/data/ptm.gif/${appKey}?v=x&ct=1&s=10`, { method: "OPTIONS" });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /POST/);
    assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /content-type/);
    for (const [contentType, visitor] of [
      ["application/json", "v-post-json"],
      ["text/plain;charset=UTF-8", "v-post-text"],
    ] as const) {
      const events = encodeJzb([
        {
          type: "track",
          browser_time: Date.now(),
          visitor_id: visitor,
          props: { big: "x".repeat(6000) },
          track_event_name: "Big",
        },
      ]);
      const response = await beacon(`/data/ptm.gif/${appKey}?v=x&ct=1&s=${events.length}&type=track`, {
        method: "POST",
        headers: { "content-type": contentType },
        body: JSON.stringify({ events }),
      });
      assert.equal(response.status, 200, contentType);
      assert.equal((await stored(visitor)).length, 1, contentType);
    }
  });

  test("guide.json answers a valid guide payload with no guides, the id echoed, before any guide exists", async () => {
    const jzb = encodeJzb({
      visitorId: "v1",
      accountId: "acme",
      url: "http://x/page",
      oldVisitorId: "_PENDO_T_abc",
      metadata: {},
    });
    const response = await fetch(`${base}/data/guide.json/${appKey}?id=17&jzb=${jzb}&v=x&ct=1`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.deepEqual(await response.json(), {
      id: "17",
      normalizedUrl: "http://x/page",
      guides: [],
      lastGuideStepSeen: { isMultiStep: false, state: "" },
      autoOrdering: [],
      throttling: { enabled: false },
      guideWidget: { enabled: false, data: {} },
      features: [],
      segmentFlags: [],
      designerEnabled: false,
    });
  });

  test("guide.json aliases the anonymous id it names to the visitor; an unknown app key gets 404 with CORS", async () => {
    const jzb = encodeJzb({
      visitorId: "v-guide",
      accountId: null,
      url: "http://x/",
      oldVisitorId: "_PENDO_T_guide1",
    });
    assert.equal((await fetch(`${base}/data/guide.json/${appKey}?id=1&jzb=${jzb}&v=x&ct=1`)).status, 200);
    const post = await fetch(`${base}/data/guide.json/${appKey}?id=2&v=x&ct=1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        events: encodeJzb({ visitorId: "v-guide", oldVisitorId: "_PENDO_T_guide2", url: "http://x/long" }),
      }),
    });
    assert.equal(post.status, 200);
    assert.equal(((await post.json()) as { id?: string }).id, "2");
    // Identified to identified is not an alias.
    const notAnonymous = encodeJzb({ visitorId: "v-guide", oldVisitorId: "v-someone" });
    await fetch(`${base}/data/guide.json/${appKey}?id=3&jzb=${notAnonymous}&v=x&ct=1`);
    await cairn.writer.flush();
    const subscription = cairn.installation.subscription.id;
    assert.deepEqual(await cairn.profiles.aliasesOf(subscription, "v-guide"), [
      "_PENDO_T_guide1",
      "_PENDO_T_guide2",
    ]);

    const unknown = await fetch(
      `${base}/data/guide.json/00000000-0000-4000-8000-000000000000?id=1&jzb=${jzb}`,
    );
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get("access-control-allow-origin"), "*");
  });

  test("identify aliases the anonymous visitor; meta merges into stored visitor and account metadata", async () => {
    const anonymous = "_PENDO_T_Apjtnn16RgG";
    const now = Date.now() - 10_000;
    const event = (type: string, at: number, extra: object) => ({
      type,
      browser_time: at,
      visitor_id: "v-meta",
      account_id: "acme-meta",
      url: "https://app.example.com/settings",
      tabId: "t",
      sessionId: "s",
      ...extra,
    });
    const first = [
      event("identify", now, {
        props: {
          old_visitor_id: anonymous,
          old_account_id: null,
          visitor_id: "v-meta",
          account_id: "acme-meta",
        },
      }),
      event("meta", now + 1, {
        props: {
          visitor: { id: "v-meta", full_name: "Ann <b>Admin</b>", plan: "free", language: "en_US" },
          account: { id: "acme-meta", name: "Acme" },
          parentAccount: {},
          date: "23/11/2026",
          version: "2.291.4_prod",
        },
      }),
      event("load", now + 2, { props: { load_time: 220.5 } }),
    ];
    assert.equal(
      (await beacon(`/data/ptm.gif/${appKey}?v=2.291.4_prod&ct=1&jzb=${encodeJzb(first)}`)).status,
      200,
    );
    // updateOptions({visitor:{role:'admin'}}) sends only the changed options (agent-wire.md §5.2).
    const second = [
      event("meta", now + 5_000, {
        props: {
          visitor: { id: "v-meta", role: "admin" },
          account: { id: "acme-meta", tier: 2 },
          parentAccount: {},
        },
      }),
    ];
    assert.equal(
      (await beacon(`/data/ptm.gif/${appKey}?v=2.291.4_prod&ct=2&jzb=${encodeJzb(second)}`)).status,
      200,
    );
    await cairn.writer.flush();

    const subscription = cairn.installation.subscription.id;
    assert.deepEqual(await cairn.profiles.aliasesOf(subscription, "v-meta"), [anonymous]);
    const visitor = await cairn.profiles.visitor(subscription, "v-meta");
    assert.deepEqual(visitor?.agentMetadata, {
      full_name: "Ann <b>Admin</b>",
      plan: "free",
      language: "en_US",
      role: "admin",
    });
    assert.equal(visitor?.firstVisit, now);
    assert.equal(visitor?.lastVisit, now + 5_000);
    assert.equal(visitor?.lastAccountId, "acme-meta");
    assert.equal(visitor?.lastBrowserName, "Chrome");
    assert.equal(visitor?.lastOperatingSystem, "Linux");
    assert.equal(visitor?.lastServerName, "app.example.com");
    const account = await cairn.profiles.account(subscription, "acme-meta");
    assert.deepEqual(account?.agentMetadata, { name: "Acme", tier: 2 });
  });

  test("bad input gets a clear 4xx (with CORS) or a counted drop, stores nothing wrong, and the server keeps serving", async () => {
    await cairn.writer.flush();
    const before = (await readEvents(cairn.events, { subscriptionId: cairn.installation.subscription.id }))
      .length;
    const bomb = deflateSync(Buffer.alloc(20 * 1024 * 1024, 0x20)).toString("base64url");
    const many = encodeJzb(Array.from({ length: 3000 }, () => ({ type: "load", visitor_id: "v" })));
    const cases: Array<[string, number, string]> = [
      [`/data/ptm.gif/${appKey}?jzb=%%%`, 400, "bad_request"],
      [`/data/ptm.gif/${appKey}?jzb=${deflateSync("not json").toString("base64url")}`, 400, "bad_request"],
      [`/data/ptm.gif/${appKey}`, 400, "bad_request"],
      [`/data/ptm.gif/${appKey}?jzb=${many}`, 413, "payload_too_large"],
      [`/data/ptm.gif/00000000-0000-4000-8000-000000000000?jzb=${encodeJzb([])}`, 404, "not_found"],
      [`/data/ptm.gif/not-a-key?jzb=${encodeJzb([])}`, 404, "not_found"],
      [`/data/nothing.gif/${appKey}?jzb=${encodeJzb([])}`, 404, "not_found"],
    ];
    for (const [path, status, code] of cases) {
      const response = await fetch(base + path);
      assert.equal(response.status, status, path.slice(0, 80));
      assert.equal(
        response.headers.get("access-control-allow-origin"),
        path.includes("nothing.gif") ? "*" : "*",
      );
      assert.equal(
        ((await response.json()) as { error: { code: string } }).error.code,
        code,
        path.slice(0, 80),
      );
    }
    // A zlib bomb comes as a POST: a GET that long is refused by Node's header limit (431) before Cairn.
    const bombed = await fetch(`${base}/data/ptm.gif/${appKey}?s=${bomb.length}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ events: bomb }),
    });
    assert.equal(bombed.status, 413);
    assert.equal(((await bombed.json()) as { error: { code: string } }).error.code, "payload_too_large");
    const tooLongGet = await fetch(`${base}/data/ptm.gif/${appKey}?jzb=${"A".repeat(20_000)}`);
    assert.equal(tooLongGet.status, 431);

    const hostile = [
      { type: "load", visitor_id: "<img src=x onerror=alert(1)>", url: "javascript:alert(1)", props: {} },
      { type: "definitely-not-a-type", visitor_id: "v" },
      { type: "load" },
      "a string",
      { type: "load", visitor_id: "v", account_id: 42 },
    ];
    const dropsBefore = [...cairn.drops.values()].reduce((a, b) => a + b, 0);
    assert.equal((await beacon(`/data/ptm.gif/${appKey}?jzb=${encodeJzb(hostile)}`)).status, 200);
    const hostileStored = await stored("<img src=x onerror=alert(1)>");
    assert.equal(hostileStored[0]?.url, "javascript:alert(1)", "stored as text, exactly");
    assert.equal(
      [...cairn.drops.values()].reduce((a, b) => a + b, 0) - dropsBefore,
      4,
      "four events dropped and counted",
    );
    assert.deepEqual(
      {
        unknown: cairn.drops.get("unknown_type"),
        noVisitor: cairn.drops.get("no_visitor_id"),
        notObject: cairn.drops.get("not_an_object"),
        account: cairn.drops.get("bad_account_id"),
      },
      { unknown: 1, noVisitor: 1, notObject: 1, account: 1 },
    );
    await cairn.writer.flush();
    const after = (await readEvents(cairn.events, { subscriptionId: cairn.installation.subscription.id }))
      .length;
    assert.equal(after - before, 1, "only the one valid event was stored");
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
  });

  test("a secret key in a collector URL is refused and flagged as exposed", async () => {
    const subscriptionId = cairn.installation.subscription.id;
    await setIntegrationKeysEnabled(cairn.metadata.db, { subscriptionId, enabled: true, actor: "test" });
    const { key, record } = await createKey(cairn.metadata.db, {
      subscriptionId,
      kind: "integration",
      description: "leaked",
      actor: "test",
    });
    const response = await fetch(`${base}/data/ptm.gif/${key}?jzb=${encodeJzb([])}`);
    assert.equal(response.status, 403);
    const body = await response.text();
    assert.equal((JSON.parse(body) as { error: { code: string } }).error.code, "secret_key_exposed");
    assert.ok(!body.includes(key));
    const row = await cairn.metadata.db
      .selectFrom("api_keys")
      .select("exposed_at")
      .where("id", "=", record.id)
      .executeTakeFirstOrThrow();
    assert.ok(row.exposed_at);
  });

  test("events matching the Exclude List (visitor wildcard, host) are stored flagged; others are not", async () => {
    const subscriptionId = cairn.installation.subscription.id;
    await addExcludeRule(cairn.metadata.db, {
      subscriptionId,
      kind: "visitor",
      pattern: "qa-*",
      actor: "test",
    });
    await addExcludeRule(cairn.metadata.db, {
      subscriptionId,
      kind: "host",
      pattern: "*.staging.example.com",
      actor: "test",
    });
    await new Promise((resolve) => setTimeout(resolve, 150)); // the cache's poll interval is 50 ms here
    const event = (visitor: string, url: string) => ({
      type: "load",
      browser_time: Date.now(),
      visitor_id: visitor,
      url,
      props: {},
    });
    const batch = [
      event("qa-anna", "https://app.example.com/"),
      event("ex-user", "https://eu.staging.example.com/home"),
      event("ex-user", "https://app.example.com/home"),
      event("qa", "https://app.example.com/"),
    ];
    assert.equal((await beacon(`/data/ptm.gif/${appKey}?v=x&ct=1&jzb=${encodeJzb(batch)}`)).status, 200);
    await cairn.writer.flush();
    const events = await readEvents(cairn.events, { subscriptionId });
    const flags = (visitor: string) =>
      events.filter((e) => e.visitorId === visitor).map((e) => [e.url, e.excluded]);
    assert.deepEqual(flags("qa-anna"), [["https://app.example.com/", true]]);
    assert.deepEqual(flags("qa"), [["https://app.example.com/", false]], "qa-* needs the dash");
    assert.deepEqual(flags("ex-user").sort(), [
      ["https://app.example.com/home", false],
      ["https://eu.staging.example.com/home", true],
    ]);
  });

  test("a bot's user agent is stored with the bot flag", async () => {
    await beacon(
      `/data/ptm.gif/${appKey}?jzb=${encodeJzb([{ type: "load", visitor_id: "v-bot", browser_time: Date.now() }])}`,
      {
        headers: { "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" },
      },
    );
    assert.equal((await stored("v-bot"))[0]?.isBot, true);
  });

  test("an app-key roll and allowed origins reach the running collector within the poll interval", async () => {
    const subscriptionId = cairn.installation.subscription.id;
    const appId = cairn.installation.app.id;
    const send = (key: string, origin?: string) =>
      fetch(
        `${base}/data/ptm.gif/${key}?jzb=${encodeJzb([{ type: "load", visitor_id: "v-roll", browser_time: Date.now() }])}`,
        {
          headers: origin ? { origin } : {},
        },
      );
    assert.equal((await send(appKey)).status, 200);
    const rolled = await rollAppKey(cairn.metadata.db, { subscriptionId, appId, graceMs: 0, actor: "test" });
    await new Promise((r) => setTimeout(r, 200));
    const old = await send(appKey);
    assert.equal(old.status, 404);
    assert.match(
      ((await old.json()) as { error: { message: string } }).error.message,
      /replaced and its grace period is over/,
    );
    assert.equal((await send(rolled.appKey)).status, 200);

    await setAllowedOrigins(cairn.metadata.db, {
      subscriptionId,
      appId,
      origins: ["https://app.example.com"],
      actor: "test",
    });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await send(rolled.appKey, "https://app.example.com")).status, 200);
    const elsewhere = await send(rolled.appKey, "https://copycat.example.net");
    assert.equal(elsewhere.status, 403);
    assert.match(
      ((await elsewhere.json()) as { error: { message: string } }).error.message,
      /does not accept events from this origin/,
    );
  });
});
