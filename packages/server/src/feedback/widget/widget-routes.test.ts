import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setFeedbackWidget } from "../../access/apps/app-keys.js";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { keysOfEveryKind } from "../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { createWidgetLimiter } from "./widget-limits.js";

let cairn: RunningCairn;
let appKey: string;
let appId: string;
let subscriptionId: string;
let feedbackKey: string;

type ErrorBody = { error: { code: string; message: string; hint: string } };
type WidgetIdea = { id: string; title: string; status: string; votes: number; myVote: number };

const visitor = {
  id: "visitor-1",
  email: "ada@example.com",
  name: "Ada",
  account: { id: "acme", name: "Acme Inc." },
};

before(async () => {
  const config = loadConfig({ dataDir: tempDir("widget"), port: "0", logLevel: "warn" }, {}, process.cwd());
  cairn = await startCairn(config, {
    verifier: { pollMs: 20 },
    widgetLimits: {
      ideasPerVisitor: 3,
      ideasPerAddress: 1000,
      votesPerVisitor: 1000,
      votesPerAddress: 1000,
      listCacheMs: 0,
    },
  });
  const keys = await keysOfEveryKind(cairn);
  appKey = keys.app;
  feedbackKey = keys.feedback;
  appId = cairn.installation.app.id;
  subscriptionId = cairn.installation.subscription.id;
});
after(() => cairn.shutdown());

function panel(method: "GET" | "POST", path: string, body?: unknown): Promise<Response> {
  return fetch(`${cairn.publicUrl}/data/feedback/${appKey}${path}`, {
    method,
    headers: {
      origin: "https://shop.example",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function expectError(response: Response, status: number, code: string): Promise<ErrorBody> {
  const body = (await response.json()) as ErrorBody;
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.error.code, code, JSON.stringify(body));
  assert.equal(
    response.headers.get("access-control-allow-origin"),
    "*",
    "errors are readable cross-origin too",
  );
  return body;
}

async function ideaCount(): Promise<number> {
  return (await cairn.metadata.db.selectFrom("feedback_ideas").select("id").execute()).length;
}

async function agentScript(): Promise<string> {
  return (await fetch(`${cairn.publicUrl}/agent/static/${appKey}/pendo.js`)).text();
}

/** Turns the panel on or off and waits until the server's app-key cache has seen it. */
async function switchPanel(enabled: boolean): Promise<void> {
  await setFeedbackWidget(cairn.metadata.db, { subscriptionId, appId, enabled, actor: "test" });
  const deadline = Date.now() + 5_000;
  while ((await agentScript()).includes('"feedbackWidget":true') !== enabled) {
    assert.ok(Date.now() < deadline, "the app-key cache picks up the switch");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("while the panel is off, its routes and bundle refuse with feedback_widget_off and nothing is created", async () => {
  assert.equal(
    (await agentScript()).includes(`"feedbackWidget":true`),
    false,
    "the agent is served without the panel",
  );
  const before = await ideaCount();
  const refused = await expectError(
    await panel("POST", "/ideas", { user: visitor, title: "Dark mode" }),
    403,
    "feedback_widget_off",
  );
  assert.match(refused.error.hint, /cairn apps feedback-widget <app-id> on/);
  await expectError(await panel("GET", "/ideas"), 403, "feedback_widget_off");
  await expectError(
    await fetch(`${cairn.publicUrl}/agent/static/${appKey}/feedback-panel.js`),
    403,
    "feedback_widget_off",
  );
  assert.equal(await ideaCount(), before);
});

test("with the panel on, an identified visitor's idea is created with its creator, account and first vote", async () => {
  await switchPanel(true);
  const script = await fetch(`${cairn.publicUrl}/agent/static/${appKey}/feedback-panel.js`);
  assert.equal(script.status, 200);
  assert.match(script.headers.get("content-type") ?? "", /javascript/);

  const hostile = `<img src=x onerror="alert(1)"> Dark mode`;
  const response = await panel("POST", "/ideas", {
    user: visitor,
    title: hostile,
    details: "<script>x</script>",
  });
  assert.equal(response.status, 201);
  const { idea } = (await response.json()) as { idea: WidgetIdea & Record<string, unknown> };
  assert.deepEqual(Object.keys(idea).sort(), ["id", "myVote", "status", "title", "votes"]);
  assert.equal(idea.title, hostile, "stored and answered as text");
  assert.equal(idea.votes, 1);
  assert.equal(idea.myVote, 1);

  // The Feedback API (feedback key) lists it with the visitor and the account.
  const listed = await fetch(`${cairn.publicUrl}/api/v1/ideas?q=Dark`, {
    headers: { "x-pendo-integration-key": feedbackKey },
  });
  const { results } = (await listed.json()) as {
    results: Array<{
      id: string;
      title: string;
      details: string;
      creator: unknown;
      votes: { count: number };
    }>;
  };
  const found = results.find((r) => r.id === idea.id);
  assert.ok(found, "listed by the Feedback API");
  assert.equal(found.details, "<script>x</script>");
  assert.deepEqual(found.creator, {
    id: "visitor-1",
    email: "ada@example.com",
    name: "Ada",
    account: { id: "acme", name: "Acme Inc." },
  });
  assert.equal(found.votes.count, 1);
});

test("an anonymous visitor, an unknown field, a missing user or an oversized title is refused and creates nothing", async () => {
  const before = await ideaCount();
  await expectError(
    await panel("POST", "/ideas", { user: { id: "_PENDO_T_abcdefghijk" }, title: "Anon" }),
    403,
    "anonymous_visitor",
  );
  const unknown = await expectError(
    await panel("POST", "/ideas", { user: visitor, title: "x", private: true }),
    400,
    "bad_request",
  );
  assert.match(unknown.error.message, /private/);
  await expectError(await panel("POST", "/ideas", { title: "No user" }), 400, "bad_request");
  await expectError(
    await panel("POST", "/ideas", { user: visitor, title: "t".repeat(256) }),
    400,
    "bad_request",
  );
  await expectError(await panel("POST", "/ideas", { user: visitor, title: "" }), 400, "bad_request");
  assert.equal(await ideaCount(), before);
});

test("the list shows public, unmerged ideas with the visitor's own votes, and nothing about other users", async () => {
  const makePrivate = await fetch(`${cairn.publicUrl}/api/v1/ideas`, {
    method: "POST",
    headers: { "x-pendo-integration-key": feedbackKey, "content-type": "application/json" },
    body: JSON.stringify({ title: "Secret roadmap item", private: true }),
  });
  const secret = (await makePrivate.json()) as { id: string };
  const answer = await panel("GET", "/ideas?visitorId=visitor-1");
  assert.equal(answer.status, 200);
  const { ideas } = (await answer.json()) as { ideas: WidgetIdea[] };
  assert.ok(ideas.length >= 1);
  assert.equal(
    ideas.some((i) => i.id === secret.id),
    false,
    "private ideas are not shown",
  );
  for (const idea of ideas)
    assert.deepEqual(Object.keys(idea).sort(), ["id", "myVote", "status", "title", "votes"]);
  assert.ok(
    ideas.every((i) => i.myVote === 1),
    "visitor-1 voted for the ideas it created",
  );
  const stranger = (await (await panel("GET", "/ideas?visitorId=someone-else")).json()) as {
    ideas: WidgetIdea[];
  };
  assert.ok(stranger.ideas.every((i) => i.myVote === 0));

  await expectError(
    await panel("POST", "/votes", { user: { id: "visitor-2" }, ideaId: secret.id, quantity: 1 }),
    404,
    "not_found",
  );
});

test("votes: another visitor adds and removes one; quantities other than -1, 0, 1 are refused", async () => {
  const { ideas } = (await (await panel("GET", "/ideas")).json()) as { ideas: WidgetIdea[] };
  const target = ideas[0];
  assert.ok(target);
  const second = { id: "visitor-2", account: { id: "globex" } };
  const up = await panel("POST", "/votes", { user: second, ideaId: target.id, quantity: 1 });
  assert.equal(up.status, 200);
  assert.deepEqual(((await up.json()) as { idea: WidgetIdea }).idea, {
    ...target,
    votes: target.votes + 1,
    myVote: 1,
  });
  const down = await panel("POST", "/votes", { user: second, ideaId: target.id, quantity: 0 });
  assert.equal(((await down.json()) as { idea: WidgetIdea }).idea.votes, target.votes);
  await expectError(
    await panel("POST", "/votes", { user: second, ideaId: target.id, quantity: 1000 }),
    400,
    "bad_request",
  );
  await expectError(
    await panel("POST", "/votes", { user: second, ideaId: "idea_missing", quantity: 1 }),
    404,
    "not_found",
  );
  await expectError(
    await panel("POST", "/votes", { user: { id: "_PENDO_T_abcdefghijk" }, ideaId: target.id, quantity: 1 }),
    403,
    "anonymous_visitor",
  );
});

test("a visitor deleted through the Feedback API gets 410 gone for votes and ideas, and changes nothing", async () => {
  const { ideas } = (await (await panel("GET", "/ideas")).json()) as { ideas: WidgetIdea[] };
  const target = ideas[0];
  assert.ok(target);
  const leaver = { id: "visitor-leaving", email: "leaver@example.com" };
  assert.equal((await panel("POST", "/votes", { user: leaver, ideaId: target.id, quantity: 1 })).status, 200);
  const feedback = { "auth-token": feedbackKey };
  const found = (await (
    await fetch(`${cairn.publicUrl}/feedback/users/search?external_id=${leaver.id}`, { headers: feedback })
  ).json()) as { id: string };
  assert.ok(found);
  const deleted = await fetch(`${cairn.publicUrl}/feedback/users/${found.id}`, {
    method: "DELETE",
    headers: feedback,
  });
  assert.equal(deleted.status, 200);
  const before = await ideaCount();
  await expectError(
    await panel("POST", "/votes", { user: leaver, ideaId: target.id, quantity: 0 }),
    410,
    "gone",
  );
  await expectError(await panel("POST", "/ideas", { user: leaver, title: "From beyond" }), 410, "gone");
  assert.equal(await ideaCount(), before);
  const after = (await (await panel("GET", `/ideas?visitorId=${leaver.id}`)).json()) as {
    ideas: WidgetIdea[];
  };
  const same = after.ideas.find((idea) => idea.id === target.id);
  assert.deepEqual(same, { ...target, votes: target.votes + 1, myVote: 0 }, "the vote stays and counts");
});

test("a visitor past its hourly limit of ideas gets 429 with Retry-After, and no idea", async () => {
  const user = { id: "eager-visitor" };
  for (let i = 0; i < 3; i++) {
    assert.equal((await panel("POST", "/ideas", { user, title: `Idea ${i}` })).status, 201);
  }
  const before = await ideaCount();
  const limited = await panel("POST", "/ideas", { user, title: "One too many" });
  const body = await expectError(limited, 429, "rate_limited");
  assert.match(body.error.message, /visitor/);
  assert.ok(Number(limited.headers.get("retry-after")) > 0);
  assert.equal(await ideaCount(), before);
  // Another visitor from the same address is still within its limits.
  assert.equal((await panel("POST", "/ideas", { user: { id: "calm-visitor" }, title: "Mine" })).status, 201);
});

test("turning the panel off again stops it at once for agents and collector alike", async () => {
  await switchPanel(false);
  await expectError(
    await panel("POST", "/ideas", { user: visitor, title: "Late" }),
    403,
    "feedback_widget_off",
  );
});

test("the limiter counts per visitor of each app and per address, whichever runs out first", () => {
  const limiter = createWidgetLimiter({
    ideasPerVisitor: 2,
    ideasPerAddress: 3,
    votesPerVisitor: 1,
    votesPerAddress: 9,
    listCacheMs: 0,
  });
  limiter.take("idea", "app1", "v1", "10.0.0.1");
  limiter.take("idea", "app1", "v1", "10.0.0.1");
  assert.throws(() => limiter.take("idea", "app1", "v1", "10.0.0.2"), /visitor/);
  limiter.take("idea", "app2", "v1", "10.0.0.1");
  assert.throws(() => limiter.take("idea", "app2", "v2", "10.0.0.1"), /address/);
  limiter.take("vote", "app1", "v1", "10.0.0.1");
  assert.throws(() => limiter.take("vote", "app1", "v1", "10.0.0.1"), /votes from this visitor/);
});
