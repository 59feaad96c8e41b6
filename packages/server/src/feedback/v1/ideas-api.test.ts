import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { after, before, test } from "node:test";
import { listAudit } from "../../access/audit/audit-log.js";
import { createKey } from "../../access/keys/key-service.js";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { keysOfEveryKind, otherSubscriptionKey } from "../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../start/test-support/temp-dir.js";

let cairn: RunningCairn;
let keys: Record<"feedback" | "integration" | "track" | "app", string>;
let feedbackKeyId: string;
/** A feedback key of another subscription. */
let otherKey: string;
/** Every secret made here: none may show up in a body or a log line. */
const secrets: string[] = [];
let logs = "";

before(async () => {
  const logStream = new PassThrough();
  logStream.on("data", (chunk: Buffer) => {
    logs += chunk.toString();
  });
  const config = loadConfig({ dataDir: tempDir("ideas"), port: "0", logLevel: "trace" }, {}, process.cwd());
  cairn = await startCairn(config, { logStream });
  const every = await keysOfEveryKind(cairn);
  feedbackKeyId = every.feedbackRecord.id;
  keys = { feedback: every.feedback, integration: every.integration, track: every.track, app: every.app };
  otherKey = await otherSubscriptionKey(cairn, "feedback");
  secrets.push(keys.feedback, keys.integration, keys.track, otherKey);
});
after(() => cairn.shutdown());

/** The call from the issue and Cairn's docs, verbatim. */
const documented = {
  title: "New feedback from React app",
  details: "The user would like a dark mode feature...",
  user: { id: "123", email: "test@example.com" },
};

type ErrorBody = { error: { code: string; message: string; hint: string; requestId: string } };

function call(
  method: string,
  path: string,
  options: { key?: string; header?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers[options.header ?? "X-Pendo-Integration-Key"] = options.key;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  return fetch(`${cairn.publicUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
}

/** Reads the answer, checks that no secret is in it, and parses it. */
async function read<T>(response: Response): Promise<T> {
  const text = await response.text();
  for (const secret of secrets) assert.ok(!text.includes(secret.slice(4)), "no key in an answer");
  return JSON.parse(text) as T;
}

async function expectError(
  response: Response,
  status: number,
  code: string,
  text?: RegExp,
): Promise<ErrorBody> {
  const body = await read<ErrorBody>(response);
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.error.code, code, JSON.stringify(body));
  if (text) assert.match(`${body.error.message} ${body.error.hint}`, text);
  return body;
}

async function ideaCount(): Promise<number> {
  const rows = await cairn.metadata.db.selectFrom("feedback_ideas").select("id").execute();
  return rows.length;
}

test("the documented POST /api/v1/ideas works with a feedback key in X-Pendo-Integration-Key", async () => {
  const response = await call("POST", "/api/v1/ideas", { key: keys.feedback, body: documented });
  assert.equal(response.status, 201);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  const idea = await read<Record<string, unknown>>(response);
  assert.match(String(idea.id), /^idea_/);
  assert.equal(typeof idea.createdAt, "string");
  assert.equal(idea.statusChangedAt, idea.createdAt);
  assert.deepEqual(
    { ...idea, id: "", createdAt: "", updatedAt: "", statusChangedAt: "" },
    {
      id: "",
      title: documented.title,
      details: documented.details,
      status: "new",
      statusChangedAt: "",
      waitingAt: null,
      plannedAt: null,
      developingAt: null,
      releasedAt: null,
      declinedAt: null,
      productArea: null,
      tags: [],
      private: false,
      mergedInto: null,
      creator: { id: "123", email: "test@example.com", name: null, account: null },
      votes: { count: 0, quantity: 0, notInterested: 0 },
      comments: 0,
      createdAt: "",
      updatedAt: "",
    },
  );
  const stored = await cairn.metadata.db
    .selectFrom("feedback_ideas")
    .select(["subscription_id", "created_by_key"])
    .where("id", "=", String(idea.id))
    .executeTakeFirstOrThrow();
  assert.deepEqual(stored, {
    subscription_id: cairn.installation.subscription.id,
    created_by_key: feedbackKeyId,
  });
  const fetched = await call("GET", `/api/v1/ideas/${String(idea.id)}`, { key: keys.feedback });
  assert.equal(fetched.status, 200);
  assert.deepEqual(await read(fetched), idea);
});

test("the same call with the app key or an integration key gets wrong_key_kind naming where the Feedback key is, and creates nothing", async () => {
  const before = await ideaCount();
  const app = await call("POST", "/api/v1/ideas", { key: keys.app, body: documented });
  await expectError(
    app,
    401,
    "wrong_key_kind",
    /public app key from the install snippet; the Feedback API needs a Feedback integration key\. .*Feedback → Settings → Product Settings → API Access/,
  );
  const integration = await call("POST", "/api/v1/ideas", { key: keys.integration, body: documented });
  await expectError(
    integration,
    401,
    "wrong_key_kind",
    /This is an integration key; the Feedback API needs a Feedback integration key\. .*Feedback → Settings → Product Settings → API Access/,
  );
  // Also through auth-token, the header Pendo's Feedback clients use.
  const viaAuthToken = await call("POST", "/api/v1/ideas", {
    key: keys.integration,
    header: "auth-token",
    body: documented,
  });
  await expectError(viaAuthToken, 401, "wrong_key_kind", /API Access/);
  assert.equal(await ideaCount(), before, "no idea was created");
});

test("the key kind × Feedback API matrix: only the feedback key succeeds, on reads and writes", async () => {
  for (const [kind, key] of Object.entries(keys)) {
    for (const [method, body] of [
      ["GET", undefined],
      ["POST", documented],
    ] as const) {
      const response = await call(method, "/api/v1/ideas", { key, body });
      if (kind === "feedback") {
        assert.equal(response.status, method === "GET" ? 200 : 201, `${kind} ${method}`);
        await response.arrayBuffer();
        continue;
      }
      await expectError(
        response,
        401,
        "wrong_key_kind",
        /Feedback → Settings → Product Settings → API Access/,
      );
    }
  }
  // Every route of the family, not only the list: no key, and each wrong kind, name the Feedback key.
  const idea = await read<{ id: string }>(
    await call("POST", "/api/v1/ideas", { key: keys.feedback, body: documented }),
  );
  const routes: Array<[string, string, unknown]> = [
    ["GET", `/api/v1/ideas/${idea.id}`, undefined],
    ["PATCH", `/api/v1/ideas/${idea.id}`, { title: "x" }],
    ["DELETE", `/api/v1/ideas/${idea.id}`, undefined],
    ["GET", `/api/v1/ideas/${idea.id}/status-changes`, undefined],
    ["GET", `/api/v1/ideas/${idea.id}/votes`, undefined],
    ["POST", `/api/v1/ideas/${idea.id}/votes`, { user: { id: "1" }, quantity: 1 }],
    ["GET", `/api/v1/ideas/${idea.id}/comments`, undefined],
    ["POST", `/api/v1/ideas/${idea.id}/comments`, { user: { id: "1" }, text: "x" }],
  ];
  for (const [method, path, body] of routes) {
    await expectError(await call(method, path, { body }), 401, "missing_key", /Feedback/);
    for (const key of [keys.app, keys.integration, keys.track]) {
      await expectError(await call(method, path, { key, body }), 401, "wrong_key_kind", /API Access/);
    }
  }
  const untouched = await call("GET", `/api/v1/ideas/${idea.id}`, { key: keys.feedback });
  assert.equal(
    (await read<{ title: string }>(untouched)).title,
    documented.title,
    "no refused call changed it",
  );

  // And the other way: the feedback key is refused by the v1 API.
  const v1 = await call("GET", "/api/v1/token/verify", { key: keys.feedback });
  await expectError(v1, 401, "wrong_key_kind", /Feedback key; the v1 API needs an integration key/);
});

test("auth-token works as a header, and as a query parameter that is accepted but audited as a warning", async () => {
  const header = await call("POST", "/api/v1/ideas", {
    key: keys.feedback,
    header: "auth-token",
    body: documented,
  });
  assert.equal(header.status, 201);
  const created = await read<{ id: string }>(header);

  const auditBefore = (await listAudit(cairn.metadata.db, cairn.installation.subscription.id)).filter(
    (r) => r.action === "key.sent_in_url",
  ).length;
  const query = await call(
    "GET",
    `/api/v1/ideas/${created.id}?auth-token=${encodeURIComponent(keys.feedback)}`,
  );
  assert.equal(query.status, 200);
  assert.equal((await read<{ id: string }>(query)).id, created.id);
  const listed = await call("GET", `/api/v1/ideas?limit=1&auth-token=${keys.feedback}`);
  assert.equal(listed.status, 200, "the list's strict query schema lets auth-token through");
  await listed.arrayBuffer();
  const warnings = (await listAudit(cairn.metadata.db, cairn.installation.subscription.id)).filter(
    (r) => r.action === "key.sent_in_url",
  );
  assert.equal(warnings.length, auditBefore + 2, "each use in a URL is audited");
  assert.equal(warnings[0]?.actor, feedbackKeyId);
  assert.match(String(warnings[0]?.detail.warning), /header instead/);

  const otherParam = await call("GET", `/api/v1/ideas?token=${keys.feedback}`);
  await expectError(otherParam, 401, "key_in_url");
  const inSearch = await call("GET", `/api/v1/ideas?q=${keys.feedback}`, { key: keys.feedback });
  await expectError(inSearch, 401, "key_in_url");
});

test("misuse: no key, garbage, a browser origin; the key is checked before the body is read", async () => {
  await expectError(
    await call("GET", "/api/v1/ideas"),
    401,
    "missing_key",
    /x-pendo-integration-key or auth-token/,
  );
  await expectError(await call("GET", "/api/v1/ideas", { key: "cfk_nope" }), 401, "invalid_key");
  // No key and a body that breaks the schema: the answer is about the key, not the body.
  await expectError(await call("POST", "/api/v1/ideas", { body: { nonsense: true } }), 401, "missing_key");
  const exposedKey = (
    await createKey(cairn.metadata.db, {
      subscriptionId: cairn.installation.subscription.id,
      kind: "feedback",
      description: "leaked",
      actor: "test",
    })
  ).key;
  secrets.push(exposedKey);
  const fromBrowser = await call("POST", "/api/v1/ideas", {
    key: exposedKey,
    body: documented,
    headers: { origin: "https://app.example.com" },
  });
  await expectError(fromBrowser, 403, "secret_key_exposed");
});

test("validation: unknown fields named, bounds enforced, HTML kept as text", async () => {
  const post = (body: unknown) => call("POST", "/api/v1/ideas", { key: keys.feedback, body });
  await expectError(
    await post({ ...documented, colour: "red" }),
    400,
    "bad_request",
    /Unknown field "colour"/,
  );
  await expectError(
    await post({ ...documented, user: { ...documented.user, role: "admin" } }),
    400,
    "bad_request",
    /Unknown field "role"/,
  );
  await expectError(await post({ details: "no title" }), 400, "bad_request", /title/);
  await expectError(await post({ title: "x".repeat(256) }), 400, "bad_request", /title/);
  await expectError(await post({ title: "ok", details: "x".repeat(20_001) }), 400, "bad_request", /details/);
  await expectError(await post({ title: "ok", user: { email: "a@b.c" } }), 400, "bad_request", /id/);
  await expectError(
    await post({ title: "ok", user: { id: "1", email: "not an email" } }),
    400,
    "bad_request",
  );
  await expectError(await post({ title: "ok", tags: Array(51).fill("t") }), 400, "bad_request", /tags/);
  assert.equal(
    (await post({ title: "x".repeat(255), details: "x".repeat(20_000) })).status,
    201,
    "at the bounds",
  );

  const script = `<script>alert(document.cookie)</script><img src=x onerror=alert(1)> & "quotes"`;
  const response = await post({ title: `<b>${script}</b>`, details: script });
  assert.equal(response.status, 201);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  const idea = await read<{ id: string; title: string; details: string }>(response);
  assert.deepEqual([idea.title, idea.details], [`<b>${script}</b>`, script], "stored and answered as sent");

  const patch = (body: unknown) => call("PATCH", `/api/v1/ideas/${idea.id}`, { key: keys.feedback, body });
  await expectError(await patch({}), 400, "bad_request");
  await expectError(await patch({ status: "shipped" }), 400, "bad_request", /status/);
  await expectError(await patch({ votes: 3 }), 400, "bad_request", /Unknown field "votes"/);
  const votes = (body: unknown) =>
    call("POST", `/api/v1/ideas/${idea.id}/votes`, { key: keys.feedback, body });
  await expectError(await votes({ user: { id: "1" }, quantity: -2 }), 400, "bad_request", /quantity/);
  await expectError(await votes({ user: { id: "1" }, quantity: 1_000_001 }), 400, "bad_request", /quantity/);
  await expectError(await votes({ quantity: 1 }), 400, "bad_request", /user/);
  await expectError(
    await call("GET", "/api/v1/ideas?order_by=colour", { key: keys.feedback }),
    400,
    "bad_request",
    /order_by/,
  );
  await expectError(await call("GET", "/api/v1/ideas?limit=501", { key: keys.feedback }), 400, "bad_request");
  await expectError(
    await call("GET", "/api/v1/ideas?page=2", { key: keys.feedback }),
    400,
    "bad_request",
    /page/,
  );
});

test("an idea's life over HTTP: change, vote, comment, search, delete (410 after), and 404 for another subscription", async () => {
  const key = keys.feedback;
  const created = await read<{ id: string }>(
    await call("POST", "/api/v1/ideas", {
      key,
      body: {
        title: "Quokka export",
        details: "CSV please",
        user: { id: "u-1", name: "Ann", account: { id: "acme", name: "Acme" } },
        tags: ["export"],
        productArea: "Reports",
        private: true,
      },
    }),
  );
  const path = `/api/v1/ideas/${created.id}`;

  const patched = await call("PATCH", path, { key, body: { status: "planned", tags: ["export", "csv"] } });
  assert.equal(patched.status, 200);
  const planned = await read<{ status: string; plannedAt: string | null; tags: string[]; private: boolean }>(
    patched,
  );
  assert.deepEqual([planned.status, planned.tags, planned.private], ["planned", ["export", "csv"], true]);
  assert.ok(planned.plannedAt);
  const history = await read<{ results: Array<{ from: string | null; to: string }> }>(
    await call("GET", `${path}/status-changes`, { key }),
  );
  assert.deepEqual(
    history.results.map((c) => [c.from, c.to]),
    [
      [null, "new"],
      ["new", "planned"],
    ],
  );

  const vote = await call("POST", `${path}/votes`, {
    key,
    body: { user: { id: "u-2", email: "bo@example.com" }, quantity: 3 },
  });
  assert.equal(vote.status, 200);
  const voted = await read<{ vote: { quantity: number; user: { id: string } }; votes: unknown }>(vote);
  assert.deepEqual([voted.vote.quantity, voted.vote.user.id], [3, "u-2"]);
  assert.deepEqual(voted.votes, { count: 1, quantity: 3, notInterested: 0 });
  const voteList = await read<{ results: Array<{ user: { email: string } }>; total: number }>(
    await call("GET", `${path}/votes`, { key }),
  );
  assert.deepEqual([voteList.total, voteList.results[0]?.user.email], [1, "bo@example.com"]);

  const comment = await call("POST", `${path}/comments`, {
    key,
    body: { user: { id: "u-2" }, text: "<i>yes</i>" },
  });
  assert.equal(comment.status, 201);
  assert.equal((await read<{ text: string }>(comment)).text, "<i>yes</i>");
  const comments = await read<{ total: number }>(await call("GET", `${path}/comments`, { key }));
  assert.equal(comments.total, 1);

  const search = await read<{
    results: Array<{ id: string; votes: unknown; comments: number }>;
    total: number;
  }>(
    await call(
      "GET",
      "/api/v1/ideas?q=QUOKKA&status=planned,developing&order_by=votes&order_dir=desc&limit=10",
      {
        key,
      },
    ),
  );
  assert.deepEqual(
    search.results.map((i) => [i.id, i.votes, i.comments]),
    [[created.id, { count: 1, quantity: 3, notInterested: 0 }, 1]],
  );
  assert.equal(search.total, 1);

  // Another subscription's key sees nothing of it: 404, as if it never existed, and changes nothing.
  await expectError(await call("GET", path, { key: otherKey }), 404, "not_found");
  await expectError(await call("PATCH", path, { key: otherKey, body: { title: "mine" } }), 404, "not_found");
  await expectError(await call("DELETE", path, { key: otherKey }), 404, "not_found");
  await expectError(
    await call("POST", `${path}/votes`, { key: otherKey, body: { user: { id: "x" }, quantity: 1 } }),
    404,
    "not_found",
  );
  const theirList = await read<{ total: number }>(
    await call("GET", "/api/v1/ideas?q=quokka", { key: otherKey }),
  );
  assert.equal(theirList.total, 0);

  const deleted = await call("DELETE", path, { key });
  assert.equal(deleted.status, 204);
  await expectError(await call("GET", path, { key }), 410, "gone", /deleted on/);
  await expectError(await call("PATCH", path, { key, body: { title: "back" } }), 410, "gone");
  await expectError(await call("DELETE", path, { key }), 410, "gone");
  await expectError(
    await call("POST", `${path}/votes`, { key, body: { user: { id: "u-3" }, quantity: 1 } }),
    410,
    "gone",
  );
  await expectError(await call("GET", `${path}/comments`, { key }), 410, "gone");
  const afterDelete = await read<{ total: number }>(await call("GET", "/api/v1/ideas?q=quokka", { key }));
  assert.equal(afterDelete.total, 0, "deleted ideas leave the list");
  await expectError(await call("GET", "/api/v1/ideas/idea_doesNotExist", { key }), 404, "not_found");
});

test("no key appears in any log line", async () => {
  await cairn.shutdown();
  assert.ok(logs.includes("/api/v1/ideas"), "requests were logged");
  assert.ok(logs.includes("auth-token=[redacted]"), "the auth-token query parameter is logged redacted");
  for (const secret of secrets) {
    assert.ok(!logs.includes(secret.slice(4)), "no key in any log line");
  }
});
