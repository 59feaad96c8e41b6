import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { after, before, test } from "node:test";
import { listAudit } from "../../access/audit/audit-log.js";
import { createKey } from "../../access/keys/key-service.js";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { otherSubscription } from "../../start/test-support/installed-store.js";
import { keysOfEveryKind } from "../../start/test-support/keys-of-every-kind.js";
import { sampleEvent } from "../../start/test-support/sample-events.js";
import { tempDir } from "../../start/test-support/temp-dir.js";

let cairn: RunningCairn;
let subscriptionId: string;
let keys: { write: string; read: string; other: string; feedback: string; track: string; app: string };
let readKeyId: string;
/** Every secret made here: none may show up in a body or a log line. */
const secrets: string[] = [];
let logs = "";
const firstVisit = Date.UTC(2026, 0, 5, 9, 30);

before(async () => {
  const logStream = new PassThrough();
  logStream.on("data", (chunk: Buffer) => {
    logs += chunk.toString();
  });
  const config = loadConfig(
    { dataDir: tempDir("v1-metadata"), port: "0", logLevel: "trace" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config, { logStream });
  subscriptionId = cairn.installation.subscription.id;
  const db = cairn.metadata.db;
  const every = await keysOfEveryKind(cairn);
  const read = await createKey(db, { subscriptionId, kind: "integration", description: "ETL", actor: "t" });
  readKeyId = read.record.id;
  const other = await otherSubscription(cairn.metadata);
  const otherKey = await createKey(db, {
    subscriptionId: other.subscriptionId,
    kind: "integration",
    description: "other",
    write: true,
    actor: "t",
  });
  keys = {
    write: every.integration,
    read: read.key,
    other: otherKey.key,
    feedback: every.feedback,
    track: every.track,
    app: every.app,
  };
  secrets.push(keys.write, keys.read, keys.other, keys.feedback, keys.track);

  // Visitors and accounts come from the agent's events: "v-known" of acme here, "v-other" in the other subscription.
  const appId = cairn.installation.app.id;
  const meta = {
    props: { visitor: { id: "v-known", email: "ann@example.com" }, account: { id: "acme", name: "Acme" } },
  };
  await cairn.writer.write([
    sampleEvent({ subscriptionId, appId, visitorId: "v-known", accountId: "acme", occurredAt: firstVisit }),
    sampleEvent({
      subscriptionId,
      appId,
      type: "meta",
      visitorId: "v-known",
      accountId: "acme",
      occurredAt: firstVisit + 1_000,
      properties: JSON.stringify(meta),
    }),
    sampleEvent({ subscriptionId: other.subscriptionId, appId: other.appId, visitorId: "v-other" }),
  ]);
  await cairn.writer.flush();
});
after(() => cairn.shutdown());

type ErrorBody = { error: { code: string; message: string; hint: string; requestId: string } };
interface Profile {
  id: string;
  metadata: {
    agent: Record<string, unknown>;
    auto: Record<string, unknown>;
    custom: Record<string, unknown>;
  };
}
interface Outcome {
  total: number;
  updated: number;
  failed: number;
  missing: string[];
}

function call(
  method: string,
  path: string,
  options: { key?: string; body?: unknown; raw?: string; contentType?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (options.key !== undefined) headers["x-pendo-integration-key"] = options.key;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  return fetch(`${cairn.publicUrl}${path}`, { method, headers, body });
}

/** Reads the answer, checks that no secret is in it, and parses it. */
async function read<T>(response: Response): Promise<T> {
  const text = await response.text();
  for (const secret of secrets) assert.ok(!text.includes(secret.slice(4)), "no key in an answer");
  return JSON.parse(text) as T;
}

async function expectOk<T>(response: Response): Promise<T> {
  const body = await read<T>(response);
  assert.equal(response.status, 200, JSON.stringify(body));
  return body;
}

async function expectError(response: Response, status: number, code: string, text?: RegExp): Promise<void> {
  const body = await read<ErrorBody>(response);
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.error.code, code, JSON.stringify(body));
  assert.match(body.error.requestId, /^req_/);
  if (text) assert.match(`${body.error.message} ${body.error.hint}`, text);
}

const visitor = (id: string, key = keys.write) =>
  call("GET", `/api/v1/visitor/${encodeURIComponent(id)}`, { key });
const bulk = (kind: string, body: unknown, query = "", key = keys.write) =>
  call("POST", `/api/v1/metadata/${kind}/custom/value${query}`, { key, body });

/** What a test must leave unchanged: the custom metadata of the seeded visitor and account, and which ids exist. */
async function snapshot(ids: readonly string[] = []): Promise<unknown> {
  return {
    visitor: (await cairn.profiles.visitor(subscriptionId, "v-known"))?.customMetadata,
    account: (await cairn.profiles.account(subscriptionId, "acme"))?.customMetadata,
    visitors: [...(await cairn.profiles.knownIds(subscriptionId, "visitor", ids))],
    accounts: [...(await cairn.profiles.knownIds(subscriptionId, "account", ids))],
  };
}

test("GET /api/v1/visitor/:id and /account/:id answer the stored record with its metadata in Pendo's groups", async () => {
  const known = await expectOk<Profile>(await visitor("v-known"));
  assert.equal(known.id, "v-known");
  assert.deepEqual(known.metadata.agent, { email: "ann@example.com" });
  assert.deepEqual(known.metadata.custom, {});
  assert.deepEqual(
    {
      id: known.metadata.auto.id,
      accountid: known.metadata.auto.accountid,
      firstvisit: known.metadata.auto.firstvisit,
      lastvisit: known.metadata.auto.lastvisit,
      lastbrowsername: known.metadata.auto.lastbrowsername,
      lastservername: known.metadata.auto.lastservername,
    },
    {
      id: "v-known",
      accountid: "acme",
      firstvisit: firstVisit,
      lastvisit: firstVisit + 1_000,
      lastbrowsername: "Chrome",
      lastservername: "app.example.com",
    },
  );
  const account = await expectOk<Profile>(await call("GET", "/api/v1/account/acme", { key: keys.write }));
  assert.deepEqual(account, {
    id: "acme",
    metadata: {
      agent: { name: "Acme" },
      auto: { id: "acme", firstvisit: firstVisit, lastvisit: firstVisit + 1_000 },
      custom: {},
    },
  });
  await expectError(await visitor("nobody"), 404, "not_found", /No visitor with this id.*create=true/);
  await expectError(
    await call("GET", "/api/v1/account/nobody", { key: keys.write }),
    404,
    "not_found",
    /No account/,
  );
  // A parameter the read does not use is ignored, as Pendo's clients add some.
  const expanded = await call("GET", "/api/v1/visitor/v-known?expand=*", { key: keys.write });
  assert.equal((await expectOk<Profile>(expanded)).id, "v-known");
});

test("bulk set with a write key: known ids are updated and readable at once, unknown ones listed as missing and not created", async () => {
  const response = await bulk("visitor", [
    { visitorId: "v-known", values: { plan: "pro", seats: 42, beta: true, tags: ["a", "b"], score: 4.5 } },
    { visitorId: "v-unknown", values: { plan: "free" } },
    { visitorId: "v-unknown", values: { plan: "team" } },
  ]);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  assert.deepEqual(await expectOk<Outcome>(response), {
    total: 3,
    updated: 1,
    failed: 0,
    missing: ["v-unknown"],
  });
  // No wait, no flush: a 200 means the values are loaded.
  const known = await expectOk<Profile>(await visitor("v-known"));
  assert.deepEqual(known.metadata.custom, {
    plan: "pro",
    seats: 42,
    beta: true,
    tags: ["a", "b"],
    score: 4.5,
  });
  assert.deepEqual(known.metadata.agent, { email: "ann@example.com" }, "the agent group is untouched");
  await expectError(await visitor("v-unknown"), 404, "not_found");

  // Field by field: a later write keeps the fields it does not name; null removes one.
  await expectOk(await bulk("visitor", [{ visitorId: "v-known", values: { seats: null, plan: "team" } }]));
  assert.deepEqual((await expectOk<Profile>(await visitor("v-known"))).metadata.custom, {
    plan: "team",
    beta: true,
    tags: ["a", "b"],
    score: 4.5,
  });

  assert.deepEqual(
    await expectOk<Outcome>(
      await bulk("account", [
        { accountId: "acme", values: { tier: "gold" } },
        { accountId: "nope", values: {} },
      ]),
    ),
    { total: 2, updated: 1, failed: 0, missing: ["nope"] },
  );
  const account = await expectOk<Profile>(await call("GET", "/api/v1/account/acme", { key: keys.write }));
  assert.deepEqual(account.metadata.custom, { tier: "gold" });
});

test("create=true creates unknown visitors and accounts (Pendo's documented call, verbatim)", async () => {
  const response = await call("POST", "/api/v1/metadata/visitor/custom/value?create=true", {
    key: keys.write,
    raw: '[{"visitorId":"user-1","values":{"plan":"pro","seats":42}}]',
  });
  assert.deepEqual(await expectOk<Outcome>(response), { total: 1, updated: 1, failed: 0, missing: [] });
  assert.deepEqual(await expectOk<Profile>(await visitor("user-1")), {
    id: "user-1",
    metadata: { agent: {}, auto: { id: "user-1" }, custom: { plan: "pro", seats: 42 } },
  });
  assert.deepEqual(
    await expectOk<Outcome>(
      await bulk(
        "account",
        [{ accountId: "acct-new", values: { plan: null, paying: false } }],
        "?create=true",
      ),
    ),
    { total: 1, updated: 1, failed: 0, missing: [] },
  );
  const account = await expectOk<Profile>(await call("GET", "/api/v1/account/acct-new", { key: keys.write }));
  assert.deepEqual(account.metadata, { agent: {}, auto: { id: "acct-new" }, custom: { paying: false } });
  // create=false is the default spelled out.
  assert.deepEqual(
    (await expectOk<Outcome>(await bulk("visitor", [{ visitorId: "user-2", values: {} }], "?create=false")))
      .missing,
    ["user-2"],
  );
});

test("PUT sets one value from a raw JSON body, as Pendo's documented curl sends it; an unknown id is 404 unless create=true", async () => {
  // curl --data-raw sends application/x-www-form-urlencoded.
  const put = (path: string, raw: string, contentType = "application/x-www-form-urlencoded") =>
    call("PUT", `/api/v1/metadata/${path}`, { key: keys.write, raw, contentType });
  assert.deepEqual(await expectOk<Outcome>(await put("visitor/custom/value/v-known/plan", '"YES"')), {
    total: 1,
    updated: 1,
    failed: 0,
    missing: [],
  });
  await expectOk(await put("visitor/custom/value/v-known/seats", "42", "application/json"));
  await expectOk(await put("visitor/custom/value/v-known/beta", "false", "text/plain"));
  await expectOk(await put("visitor/custom/value/v-known/tags", '["x", 1, true]', "application/json"));
  await expectOk(await put("visitor/custom/value/v-known/score", "null", "application/json"));
  const custom = (await expectOk<Profile>(await visitor("v-known"))).metadata.custom;
  assert.deepEqual(
    { plan: custom.plan, seats: custom.seats, beta: custom.beta, tags: custom.tags, score: custom.score },
    { plan: "YES", seats: 42, beta: false, tags: ["x", 1, true], score: undefined },
  );

  await expectError(await put("visitor/custom/value/ghost/plan", '"pro"'), 404, "not_found", /create=true/);
  await expectError(await visitor("ghost"), 404, "not_found");
  await expectOk(await put("visitor/custom/value/ghost/plan?create=true", '"pro"'));
  assert.deepEqual((await expectOk<Profile>(await visitor("ghost"))).metadata.custom, { plan: "pro" });

  // Ids and field names travel URL-encoded.
  await expectOk(await put("account/custom/value/acme%2Feu/home%20region?create=true", '"eu-west"'));
  const account = await expectOk<Profile>(
    await call("GET", "/api/v1/account/acme%2Feu", { key: keys.write }),
  );
  assert.deepEqual(account.metadata.custom, { "home region": "eu-west" });
});

test("a read-only integration key reads (200), and every write answers 403 insufficient_scope before its body is read; nothing changes", async () => {
  await expectOk(await bulk("visitor", [{ visitorId: "v-known", values: { owner: "write-key" } }]));
  const before = await snapshot(["v-ro-new"]);
  const auditBefore = (await listAudit(cairn.metadata.db, subscriptionId)).filter(
    (r) => r.action === "key.failed_attempt" && r.target === readKeyId,
  ).length;

  const profile = await expectOk<Profile>(await visitor("v-known", keys.read));
  assert.equal(profile.metadata.custom.owner, "write-key");
  await expectOk(await call("GET", "/api/v1/account/acme", { key: keys.read }));
  assert.equal((await call("HEAD", "/api/v1/visitor/v-known", { key: keys.read })).status, 200);

  const writes: Array<[string, string, { body?: unknown; raw?: string; contentType?: string }]> = [
    [
      "POST",
      "/api/v1/metadata/visitor/custom/value",
      { body: [{ visitorId: "v-known", values: { owner: "ro" } }] },
    ],
    [
      "POST",
      "/api/v1/metadata/visitor/custom/value?create=true",
      { body: [{ visitorId: "v-ro-new", values: {} }] },
    ],
    [
      "POST",
      "/api/v1/metadata/account/custom/value",
      { body: [{ accountId: "acme", values: { owner: "ro" } }] },
    ],
    ["PUT", "/api/v1/metadata/visitor/custom/value/v-known/owner", { raw: '"ro"' }],
    ["PUT", "/api/v1/metadata/account/custom/value/acme/owner", { raw: '"ro"' }],
    // The key is refused before the body is looked at: malformed, oversized, a bad group or content type.
    ["POST", "/api/v1/metadata/visitor/custom/value", { raw: "{not json" }],
    ["POST", "/api/v1/metadata/visitor/custom/value", { raw: `"${"x".repeat(2 * 1024 * 1024)}"` }],
    ["POST", "/api/v1/metadata/visitor/agent/value", { body: [] }],
    ["PUT", "/api/v1/metadata/visitor/custom/value/v-known/owner", { raw: "1", contentType: "image/png" }],
  ];
  for (const [method, path, options] of writes) {
    await expectError(
      await call(method, path, { key: keys.read, ...options }),
      403,
      "insufficient_scope",
      /read-only.*write access/,
    );
  }
  assert.deepEqual(await snapshot(["v-ro-new"]), before, "nothing changed");
  const audited = (await listAudit(cairn.metadata.db, subscriptionId)).filter(
    (r) => r.action === "key.failed_attempt" && r.target === readKeyId,
  );
  assert.equal(audited.length - auditBefore, writes.length, "each refused write is in the audit log");
});

test("other kinds of key get keys.md's answers on every route, and change nothing", async () => {
  const before = await snapshot(["v-wrong"]);
  const routes: Array<[string, string, string | undefined]> = [
    ["GET", "/api/v1/visitor/v-known", undefined],
    ["GET", "/api/v1/account/acme", undefined],
    ["POST", "/api/v1/metadata/visitor/custom/value?create=true", '[{"visitorId":"v-wrong","values":{}}]'],
    ["PUT", "/api/v1/metadata/visitor/custom/value/v-wrong/plan?create=true", '"x"'],
  ];
  const cases: Array<[string, string | undefined, number, string, RegExp]> = [
    ["no key", undefined, 401, "missing_key", /x-pendo-integration-key/],
    ["the app key", keys.app, 401, "wrong_key_kind", /public app key.*Integration Keys/],
    [
      "a feedback key",
      keys.feedback,
      401,
      "wrong_key_kind",
      /Feedback key; the v1 API needs an integration key/,
    ],
    [
      "a track secret",
      keys.track,
      401,
      "wrong_key_kind",
      /track secret; the v1 API needs an integration key/,
    ],
    [
      "a typo",
      `${keys.write.slice(0, -1)}${keys.write.endsWith("A") ? "B" : "A"}`,
      401,
      "invalid_key",
      /not valid/,
    ],
  ];
  for (const [method, path, raw] of routes) {
    for (const [what, key, status, code, text] of cases) {
      const response = await call(method, path, { key, raw });
      await expectError(response, status, code, text).catch((error: Error) => {
        throw new Error(`${what} on ${method} ${path}: ${error.message}`);
      });
    }
  }
  assert.deepEqual(await snapshot(["v-wrong"]), before, "nothing changed");
});

test("another subscription's key sees none of this subscription's visitors and writes only its own", async () => {
  await expectError(await visitor("v-known", keys.other), 404, "not_found");
  await expectError(await call("GET", "/api/v1/account/acme", { key: keys.other }), 404, "not_found");
  assert.equal((await expectOk<Profile>(await visitor("v-other", keys.other))).id, "v-other");
  await expectError(await visitor("v-other"), 404, "not_found", undefined);

  const before = await snapshot();
  assert.deepEqual(
    await expectOk<Outcome>(
      await bulk("visitor", [{ visitorId: "v-known", values: { x: 1 } }], "", keys.other),
    ),
    { total: 1, updated: 0, failed: 0, missing: ["v-known"] },
  );
  await expectError(
    await call("PUT", "/api/v1/metadata/visitor/custom/value/v-known/x", { key: keys.other, raw: "1" }),
    404,
    "not_found",
  );
  // Created in the other subscription only: this one's v-known is untouched.
  await expectOk(
    await bulk("visitor", [{ visitorId: "v-known", values: { x: 2 } }], "?create=true", keys.other),
  );
  assert.deepEqual(await snapshot(), before);
  assert.deepEqual((await expectOk<Profile>(await visitor("v-known", keys.other))).metadata.custom, { x: 2 });
});

test("malformed, oversized or unwritable input gets a clear 4xx naming the problem, and changes nothing", async () => {
  const ids = ["v-bad", "v-bad-2"];
  const before = await snapshot(ids);
  const entry = (values: unknown, id: unknown = "v-known") => [{ visitorId: id, values }];
  const fields = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i]));
  const posts: Array<[string, string | unknown, number, string, RegExp]> = [
    ["not JSON", "{oops", 400, "bad_request", /not valid JSON/],
    ["an object, not an array", { visitorId: "v-known", values: {} }, 400, "bad_request", /JSON array/],
    ["an entry that is not an object", ["v-known"], 400, "bad_request", /Entry 0 must be an object/],
    [
      "an unknown field",
      [{ visitorId: "v-known", values: {}, plan: 1 }],
      400,
      "bad_request",
      /unknown field "plan"/,
    ],
    [
      "accountId on the visitor route",
      [{ accountId: "acme", values: {} }],
      400,
      "bad_request",
      /"accountId"/,
    ],
    ["no id", [{ values: {} }], 400, "bad_request", /"visitorId" must be a non-empty string/],
    ["a numeric id", entry({}, 42), 400, "bad_request", /"visitorId" must be a non-empty string/],
    ["an id too long", entry({}, "v".repeat(513)), 400, "bad_request", /longer than 512/],
    ["values not an object", entry(["plan"]), 400, "bad_request", /"values" must be an object/],
    [
      "a nested object",
      entry({ plan: { tier: 1 } }),
      400,
      "bad_request",
      /"plan" must be a string, a number/,
    ],
    ["an array of objects", entry({ plan: [{}] }), 400, "bad_request", /"plan" is an array holding/],
    ["an array with null", entry({ plan: ["a", null] }), 400, "bad_request", /array holding/],
    ["a long array", entry({ plan: Array(101).fill(1) }), 400, "bad_request", /more than 100 items/],
    ["long text", entry({ plan: "x".repeat(2_049) }), 400, "bad_request", /longer than 2048 characters/],
    ["a long field name", entry({ ["f".repeat(129)]: 1 }), 400, "bad_request", /longer than 128 characters/],
    ["a dotted field name", entry({ "a.b": 1 }), 400, "bad_request", /contains a dot/],
    ["an empty field name", entry({ "": 1 }), 400, "bad_request", /field name is empty/],
    ["a control character", entry({ "a\nb": 1 }), 400, "bad_request", /control character/],
    ["too many fields", entry(fields(257)), 400, "bad_request", /at most 256 fields/],
    ["a prototype key", '[{"visitorId":"v-known","values":{"__proto__":{"x":1}}}]', 400, "bad_request", /./],
    [
      "a good entry beside a bad one",
      [
        { visitorId: "v-known", values: { plan: "should-not-apply" } },
        { visitorId: "v-bad", values: { plan: {} } },
      ],
      400,
      "bad_request",
      /Entry 1/,
    ],
    [
      "too many entries",
      Array.from({ length: 1_001 }, () => ({ visitorId: "v-bad", values: {} })),
      413,
      "payload_too_large",
      /At most 1000 entries/,
    ],
    [
      "a body over 1 MiB",
      Array.from({ length: 600 }, () => ({ visitorId: "v-bad", values: { t: "x".repeat(2_000) } })),
      413,
      "payload_too_large",
      /larger than this endpoint accepts/,
    ],
  ];
  for (const [what, body, status, code, text] of posts) {
    const raw = typeof body === "string" ? body : JSON.stringify(body);
    const response = await call("POST", "/api/v1/metadata/visitor/custom/value?create=true", {
      key: keys.write,
      raw,
    });
    await expectError(response, status, code, text).catch((error: Error) => {
      throw new Error(`${what}: ${error.message}`);
    });
  }

  const others: Array<
    [string, string, string, { raw?: string; contentType?: string }, number, string, RegExp]
  > = [
    [
      "the agent group",
      "POST",
      "visitor/agent/value",
      { raw: "[]" },
      400,
      "bad_request",
      /only "custom" can/,
    ],
    [
      "the auto group",
      "PUT",
      "visitor/auto/value/v-known/x",
      { raw: "1" },
      400,
      "bad_request",
      /"auto".*"custom"/,
    ],
    [
      "a pendo field other than donotprocess",
      "PUT",
      "visitor/pendo/value/v-known/email",
      { raw: "true" },
      400,
      "bad_request",
      /"pendo"/,
    ],
    ["an unknown kind", "POST", "segment/custom/value", { raw: "[]" }, 404, "not_found", /Nothing is served/],
    [
      "create=maybe",
      "POST",
      "visitor/custom/value?create=maybe",
      { raw: "[]" },
      400,
      "bad_request",
      /create/,
    ],
    [
      "an unknown query parameter",
      "POST",
      "visitor/custom/value?dryRun=1",
      { raw: "[]" },
      400,
      "bad_request",
      /dryRun/,
    ],
    [
      "an image",
      "POST",
      "visitor/custom/value",
      { raw: "[]", contentType: "image/png" },
      415,
      "unsupported_media_type",
      /Content-Type/,
    ],
    [
      "an object as a value",
      "PUT",
      "visitor/custom/value/v-known/plan",
      { raw: '{"a":1}' },
      400,
      "bad_request",
      /must be a string/,
    ],
    [
      "no value",
      "PUT",
      "visitor/custom/value/v-known/plan",
      { raw: "", contentType: "application/json" },
      400,
      "bad_request",
      /./,
    ],
    [
      "a dotted field in the path",
      "PUT",
      "visitor/custom/value/v-known/a.b",
      { raw: "1" },
      400,
      "bad_request",
      /contains a dot/,
    ],
    [
      "a value over 256 KiB",
      "PUT",
      "visitor/custom/value/v-known/plan",
      { raw: `"${"x".repeat(300_000)}"` },
      413,
      "payload_too_large",
      /larger/,
    ],
  ];
  for (const [what, method, path, options, status, code, text] of others) {
    const response = await call(method, `/api/v1/metadata/${path}`, {
      key: keys.write,
      contentType: "application/json",
      ...options,
    });
    await expectError(response, status, code, text).catch((error: Error) => {
      throw new Error(`${what}: ${error.message}`);
    });
  }
  assert.deepEqual(await snapshot(ids), before, "nothing changed");
});

test("no key appears in any log line", async () => {
  await cairn.writer.flush();
  assert.ok(logs.includes("/api/v1/metadata/visitor/custom/value"), "requests were logged");
  for (const secret of secrets) assert.ok(!logs.includes(secret.slice(4)), "no key in any log line");
});
