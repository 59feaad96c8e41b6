import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { loadConfig, type RunningCairn, startCairn } from "@cairn/server";
import { createKey, setIntegrationKeysEnabled } from "@cairn/server/internals";
import { generatedFile, typesOf } from "../scripts/openapi-types.js";
import { CairnApiError, type CairnClient, createCairnClient } from "./index.js";

// A real Cairn in this process, on port 0, called over HTTP as any back end would call it.
const dataDir = mkdtempSync(path.join(tmpdir(), "cairn-client-"));
let cairn: RunningCairn;
let keys: { integration: string; feedback: string; track: string };
let client: CairnClient;

before(async () => {
  cairn = await startCairn(loadConfig({ dataDir, port: "0", logLevel: "silent" }, {}, process.cwd()));
  const db = cairn.metadata.db;
  const subscriptionId = cairn.installation.subscription.id;
  await setIntegrationKeysEnabled(db, { subscriptionId, enabled: true, actor: "test" });
  const make = async (kind: "integration" | "feedback" | "track") =>
    (
      await createKey(db, {
        subscriptionId,
        kind,
        description: `${kind} key for the client's tests`,
        actor: "test",
        ...(kind === "integration" ? { write: true } : {}),
        ...(kind === "track" ? { appId: cairn.installation.app.id } : {}),
      })
    ).key;
  keys = {
    integration: await make("integration"),
    feedback: await make("feedback"),
    track: await make("track"),
  };
  client = createCairnClient({
    baseUrl: cairn.publicUrl,
    integrationKey: keys.integration,
    feedbackKey: keys.feedback,
    trackSecret: keys.track,
  });
});
after(async () => {
  await cairn.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

test("verifyKey: the integration key's id, kind and scope", async () => {
  const check = await client.verifyKey();
  assert.equal(check.valid, true);
  assert.equal(check.kind, "integration");
  assert.equal(check.scope, "write");
  assert.equal(check.subscriptionId, cairn.installation.subscription.id);
});

test("trackEvent with the track secret, then the visitor read back with the integration key", async () => {
  const visitorId = `client-visitor-${Date.now()}`;
  await client.trackEvent({
    type: "track",
    event: "Signed up",
    visitorId,
    accountId: "acme",
    timestamp: Date.now(),
    properties: { plan: "pro" },
    context: { userAgent: "client-test/1.0" },
  });
  // The event is acknowledged once durable; the profile follows when the loader has loaded it.
  let visitor: Awaited<ReturnType<CairnClient["visitor"]>> | undefined;
  for (let attempt = 0; attempt < 100 && !visitor; attempt++) {
    try {
      visitor = await client.visitor(visitorId);
    } catch (error) {
      if (!(error instanceof CairnApiError) || error.code !== "not_found") throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  assert.ok(visitor, "the visitor appears once the event is loaded");
  assert.equal(visitor.id, visitorId);
  assert.equal(visitor.metadata.auto.accountid, "acme");

  const outcome = await client.setVisitorMetadata([{ visitorId, values: { plan: "pro" } }]);
  assert.deepEqual(outcome, { total: 1, updated: 1, failed: 0, missing: [] });
  assert.equal((await client.visitor(visitorId)).metadata.custom.plan, "pro");

  const day = { period: "dayRange", first: "now()", count: 1 };
  const answer = await client.aggregate([
    { source: { trackEvents: null, timeSeries: day } },
    { filter: `visitorId == "${visitorId}"` },
    { select: { visitorId: "visitorId", events: "numEvents", plan: "properties.plan" } },
  ]);
  assert.deepEqual(answer.results, [{ visitorId, events: 1, plan: "pro" }]);
  await assert.rejects(
    client.aggregate([{ source: { trackEvents: null } }]),
    (error: unknown) =>
      error instanceof CairnApiError && error.status === 400 && error.code === "invalid_pipeline",
  );
});

test("agenticEvent: a conversation event as Pendo's server-side senders write it, with the track secret", async () => {
  await client.agenticEvent({
    type: "prompt",
    visitorId: `client-agentic-${Date.now()}`,
    timestamp: Date.now() + 0.5,
    props: { agentId: "agent-1", conversationId: "c1", messageId: "m1", content: "Hello" },
    context: null,
    ip: "10.0.0.1",
  });
  await assert.rejects(
    createCairnClient({ baseUrl: cairn.publicUrl, trackSecret: keys.integration }).agenticEvent({
      type: "prompt",
      visitorId: "v",
      props: {},
    }),
    (thrown: unknown) => thrown instanceof CairnApiError && thrown.code === "wrong_key_kind",
  );
});

test("Feedback: an idea created and listed with the Feedback key, through a method and the typed POST", async () => {
  const idea = await client.createIdea({
    title: "Dark mode",
    details: "From the client's test",
    user: { id: "end-user-1", email: "end@example.com" },
  });
  assert.equal(idea.title, "Dark mode");
  assert.equal(idea.status, "new");
  assert.equal(idea.creator?.id, "end-user-1");

  const { data, error, response } = await client.feedback.POST("/api/v1/ideas/{id}/votes", {
    params: { path: { id: idea.id } },
    body: { user: { id: "end-user-2" }, quantity: 3 },
  });
  assert.equal(response.status, 200, JSON.stringify(error));
  assert.equal(data?.votes.quantity, 3);

  const page = await client.listIdeas({ q: "dark" });
  assert.ok(page.results.some((listed) => listed.id === idea.id));
  assert.equal(page.results.find((listed) => listed.id === idea.id)?.votes.count, 1);
});

test("a wrong key: the typed error body from the raw client, a CairnApiError from the methods", async () => {
  // The Feedback key where an integration key is needed.
  const wrong = createCairnClient({ baseUrl: cairn.publicUrl, integrationKey: keys.feedback });
  const { data, error, response } = await wrong.v1.GET("/api/v1/token/verify");
  assert.equal(response.status, 401);
  assert.equal(data, undefined);
  assert.equal(error?.error.code, "wrong_key_kind");
  assert.match(error?.error.hint ?? "", /integration/i);
  assert.match(error?.error.requestId ?? "", /^req_/);

  await assert.rejects(wrong.verifyKey(), (thrown: unknown) => {
    assert.ok(thrown instanceof CairnApiError);
    assert.equal(thrown.status, 401);
    assert.equal(thrown.code, "wrong_key_kind");
    return true;
  });
  const noTrack = createCairnClient({ baseUrl: cairn.publicUrl, trackSecret: keys.integration });
  await assert.rejects(
    noTrack.trackEvent({ type: "track", event: "x", visitorId: "v", timestamp: Date.now() }),
    (thrown: unknown) => thrown instanceof CairnApiError && thrown.code === "wrong_key_kind",
  );
});

test("src/generated/openapi.ts is what the server's current document generates (else: npm run generate)", async () => {
  const answer = await cairn.app.inject({ method: "GET", url: "/api/docs/openapi.json" });
  const expected = await typesOf(answer.json());
  assert.ok(
    readFileSync(generatedFile, "utf8") === expected,
    "src/generated/openapi.ts is stale: run `npm run generate --workspace @cairn/client` and commit it",
  );
});
