import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createApp } from "../../access/apps/app-service.js";
import { listAudit } from "../../access/audit/audit-log.js";
import { createKey } from "../../access/keys/key-service.js";
import { setAutoGuideThrottle } from "../../access/subscription/subscription-settings.js";
import { encodeJzb } from "../../collect/jzb.js";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import {
  type AdminSession,
  adminSession,
  callAdmin,
  callApi,
  errorOf,
  type Json,
} from "../../start/test-support/api-calls.js";
import { keysOfEveryKind } from "../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../start/test-support/temp-dir.js";

let cairn: RunningCairn;
let writeKey: string;
let readKey: string;
let owner: AdminSession;

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("guide-delivery"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config, { verifier: { pollMs: 50 } });
  writeKey = (await keysOfEveryKind(cairn)).integration;
  readKey = (
    await createKey(cairn.metadata.db, {
      subscriptionId: cairn.installation.subscription.id,
      kind: "integration",
      description: "read only",
      actor: "test",
    })
  ).key;
  owner = await adminSession(cairn, "owner");
});
after(() => cairn.shutdown());

const admin = (method: string, path: string, body?: unknown) => callAdmin(cairn, owner, method, path, body);
const v1 = (method: string, path: string, body?: unknown, key = writeKey) =>
  callApi(cairn, method, path, { key, ...(body === undefined ? {} : { body }) });

type Payload = Json & { guides: Guide[]; lastGuideStepSeen: Json; autoOrdering: string[] };
type Guide = Json & { steps: Step[]; polls: Json[]; attributes: Json };
type Step = Json & { domJson: DomNode; attributes: Json };
interface DomNode {
  type: string;
  props: Record<string, unknown>;
  content?: string;
  children?: DomNode[];
  actions?: Json[];
}

/** The request jzb Pendo's agent sends (agent-wire.md §7.1). */
function guideJzb(visitorId: string, url = "http://app.example.com/home?b=2&a=1") {
  return encodeJzb({
    visitorId,
    accountId: "acme",
    url,
    oldVisitorId: "_PENDO_T_Apjtnn16RgG",
    metadata: { visitor: { id: visitorId }, account: { id: "acme" }, version: "2.291.4_prod" },
  });
}

async function guideJson(
  visitorId: string,
  options: { appKey?: string; id?: string; url?: string } = {},
): Promise<{ status: number; headers: Headers; body: Payload }> {
  const appKey = options.appKey ?? cairn.installation.app.appKey;
  const response = await fetch(
    `${cairn.publicUrl}/data/guide.json/${appKey}?id=${options.id ?? "17"}&jzb=${guideJzb(visitorId, options.url)}&v=2.291.4_prod&ct=${Date.now()}`,
  );
  return { status: response.status, headers: response.headers, body: (await response.json()) as Payload };
}

/** Asks until `check` passes: guide changes reach the delivery cache within its poll (50 ms here). */
async function eventually<T>(ask: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 3_000;
  for (;;) {
    const value = await ask();
    if (check(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

const ids = (payload: Payload) => payload.guides.map((g) => g.name);
const named = (payload: Payload, name: string) => payload.guides.find((g) => g.name === name);

/** The captured three-step walkthrough (agent-wire.md §7.3): lightboxes, a free-text poll on step 2. */
const walkthrough = {
  name: "Welcome tour",
  launchMethod: "auto",
  polls: [{ id: "poll1", type: "freeText", question: "What brought you here?" }],
  steps: [
    {
      type: "lightbox",
      content: {
        blocks: [
          { type: "heading", text: "Welcome!", level: 2 },
          { type: "button", label: "Next", action: { type: "advanceGuide" } },
        ],
      },
    },
    {
      type: "lightbox",
      content: {
        blocks: [
          { type: "poll", pollId: "poll1" },
          { type: "button", label: "Send", action: { type: "submitPoll" } },
        ],
      },
    },
    {
      type: "lightbox",
      content: {
        blocks: [
          { type: "text", text: "That's all." },
          { type: "button", label: "Done", action: { type: "dismissGuide" } },
        ],
      },
    },
  ],
};

async function makeGuide(body: Json, state: "draft" | "staged" | "public" = "public"): Promise<Guide> {
  const made = await admin("POST", "/api/admin/guides", body);
  assert.equal(made.status, 201, made.text);
  if (state === "draft") return made.body as unknown as Guide;
  const changed = await admin("PUT", `/api/admin/guides/${made.body.id}/state`, { state });
  assert.equal(changed.status, 200, changed.text);
  return changed.body as unknown as Guide;
}

function* nodes(node: DomNode): Generator<DomNode> {
  yield node;
  for (const child of node.children ?? []) yield* nodes(child);
}

/** A guide.gif beacon with the agent's guide events (agent-wire.md §7.5), loaded before it returns. */
async function sendGuideEvents(visitorId: string, events: [string, number, Json][]): Promise<void> {
  const { appKey } = cairn.installation.app;
  const jzb = encodeJzb(
    events.map(([type, at, props], sequence) => ({
      type,
      visitor_id: visitorId,
      account_id: "acme",
      browser_time: at,
      url: "http://app.example.com/home",
      props: { duration: 0, ...props },
      parentTabId: null,
      tabId: "t1",
      frameId: "f1",
      sessionId: "s1",
      utm: { channel: "Direct" },
      sequence,
    })),
  );
  const response = await fetch(`${cairn.publicUrl}/data/guide.gif/${appKey}?v=2.291.4_prod&jzb=${jzb}`);
  assert.equal(response.status, 200);
  await response.arrayBuffer();
  await cairn.writer.flush();
}

describe("guide.json", () => {
  let tour: Guide;
  before(async () => {
    tour = await makeGuide(walkthrough);
  });

  test("answers the captured walkthrough field by field (agent-wire.md §7.2–7.3)", async () => {
    const { status, headers, body } = await eventually(
      () => guideJson("v-fields"),
      (r) => ids(r.body).includes("Welcome tour"),
    );
    assert.equal(status, 200);
    assert.match(headers.get("content-type") ?? "", /^application\/json/);
    assert.equal(headers.get("cache-control"), "no-store");
    assert.equal(headers.get("access-control-allow-origin"), "*");
    // The top level (§7.2).
    assert.equal(body.id, "17");
    assert.equal(body.normalizedUrl, "http://app.example.com/home?a=1&b=2");
    assert.deepEqual(body.lastGuideStepSeen, { isMultiStep: false, state: "" });
    assert.deepEqual(body.autoOrdering, [tour.id]);
    assert.deepEqual(body.throttling, { enabled: false });
    assert.deepEqual(body.guideWidget, { enabled: false, data: {} });
    assert.deepEqual(body.features, []);
    assert.deepEqual(body.segmentFlags, []);
    assert.equal(body.designerEnabled, false);
    // The guide (§7.3).
    const guide = named(body, "Welcome tour") as Guide;
    assert.equal(guide.id, tour.id);
    assert.equal(guide.launchMethod, "auto");
    assert.equal(guide.isMultiStep, true);
    assert.equal(guide.state, "public");
    assert.equal(typeof guide.publishedAt, "number");
    assert.deepEqual(guide.attributes, {
      type: "building-block",
      device: { desktop: true, mobile: false },
      priority: 0,
      overrideAutoThrottling: false,
    });
    assert.deepEqual(
      guide.polls.map((p) => [p.id, p.numericResponses, p.attributes]),
      [["poll1", false, { type: "FreeForm" }]],
    );
    // Admin-only fields stay on the server.
    for (const field of ["audience", "stagedVisitorIds", "createdByUser", "segmentId", "rootVersionId"])
      assert.equal(field in guide, false, field);
    // The steps.
    assert.equal(guide.steps.length, 3);
    guide.steps.forEach((step, rank) => {
      assert.equal(step.guideId, tour.id);
      assert.equal(step.type, "lightbox");
      assert.equal(step.rank, rank);
      assert.equal(step.elementPathRule, "");
      assert.equal(step.triggerElementPathRule, "");
      assert.equal(step.advanceMethod, "button");
      assert.equal(typeof step.lastUpdatedAt, "number");
      assert.equal(step.resetAt, 0);
      assert.deepEqual(step.attributes, { blockOutUI: { enabled: false } });
      assert.equal(step.seenState, "notSeen");
      assert.equal("regexUrlRule" in step, false, "no page rule: every page");
      // The building-block conventions the agent's click handling needs.
      const root = step.domJson;
      assert.match(String(root.props.id), /^pendo-base/);
      const all = [...nodes(root)];
      assert.ok(all.some((n) => n.props.id === `pendo-g-${step.id}`));
      const buttons = all.filter((n) => n.type === "button" && n.actions);
      assert.ok(buttons.length >= 1);
      for (const button of buttons) {
        assert.match(String(button.props.id), /^pendo-(button|close-guide)-/);
        for (const action of button.actions ?? []) {
          assert.equal(action.destination, "EventRouter");
          assert.equal(action.eventType, "click");
          assert.equal(action.source, button.props.id);
        }
      }
    });
    const actionsOf = (step: Step) =>
      [...nodes(step.domJson)]
        .filter((n) => String(n.props.id).startsWith("pendo-button-"))
        .flatMap((n) => (n.actions ?? []).map((a) => a.action));
    for (const step of guide.steps) {
      const close = [...nodes(step.domJson)].find((n) => String(n.props.id).startsWith("pendo-close-guide-"));
      assert.deepEqual(
        close?.actions?.map((a) => a.action),
        ["dismissGuide"],
        "a close button by default",
      );
    }
    assert.deepEqual(actionsOf(guide.steps[0] as Step), ["advanceGuide"]);
    assert.deepEqual(actionsOf(guide.steps[1] as Step), ["submitPoll"]);
    assert.deepEqual(actionsOf(guide.steps[2] as Step), ["dismissGuide"]);
    assert.deepEqual(guide.steps[1]?.pollIds, ["poll1"]);
    const question = [...nodes((guide.steps[1] as Step).domJson)].find(
      (n) => n.props["data-pendo-poll-id"] === "poll1",
    );
    assert.ok(question, "the poll's question node");
    assert.ok([...nodes(question)].some((n) => n.type === "input" || n.type === "textarea"));
  });

  test("the same answer by POST (long URLs), and as guide.js, escaped for a script", async () => {
    const { appKey } = cairn.installation.app;
    const get = await guideJson("v-forms", { id: "29" });
    const post = await fetch(`${cairn.publicUrl}/data/guide.json/${appKey}?id=29&v=2.291.4_prod`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ events: guideJzb("v-forms") }),
    });
    assert.equal(post.status, 200);
    assert.deepEqual(await post.json(), get.body);

    const hostile = await makeGuide({
      ...walkthrough,
      name: "1 < 2 \u2028 3 > 2",
      launchMethod: "api",
    });
    const script = await eventually(
      async () => {
        const r = await fetch(
          `${cairn.publicUrl}/data/guide.js/${appKey}?id=30&jzb=${guideJzb("v-forms")}&v=2.291.4_prod`,
        );
        return { type: r.headers.get("content-type") ?? "", text: await r.text() };
      },
      (r) => r.text.includes(hostile.id as string),
    );
    assert.match(script.type, /^application\/javascript/);
    assert.match(script.text, /^pendo\.guidesPayload\(\{.*\}\);$/s);
    assert.equal(script.text.includes("<"), false, "no markup can end the script");
    assert.equal(script.text.includes("\u2028"), false);
    let received: unknown;
    new Function("pendo", script.text)({ guidesPayload: (p: unknown) => (received = p) });
    const delivered = (received as Payload).guides.find((g) => g.id === hostile.id);
    assert.equal(delivered?.name, "1 < 2 \u2028 3 > 2");
    assert.equal((received as Payload).autoOrdering.includes(hostile.id as string), false, "api: not auto");
    await admin("DELETE", `/api/admin/guides/${hostile.id}`);
  });

  test("each step carries the visitor's state from guide events; a reset clears it (§7.4)", async () => {
    const t0 = Date.now() - 60_000;
    const [a1, a2, a3] = tour.steps.map((s) => s.id as string);
    await sendGuideEvents("v-state", [
      ["guideSeen", t0, { guide_id: tour.id, guide_step_id: a1, reason: "auto", last_updated_at: 1 }],
      [
        "guideAdvanced",
        t0 + 1000,
        { guide_id: tour.id, guide_step_id: a1, seen_reason: "auto", destination_step_id: a2 },
      ],
      [
        "guideSeen",
        t0 + 1001,
        { guide_id: tour.id, guide_step_id: a2, reason: "continue", last_updated_at: 1 },
      ],
      [
        "guideAdvanced",
        t0 + 2000,
        { guide_id: tour.id, guide_step_id: a2, seen_reason: "continue", destination_step_id: a3 },
      ],
      [
        "guideSeen",
        t0 + 2001,
        { guide_id: tour.id, guide_step_id: a3, reason: "continue", last_updated_at: 1 },
      ],
      ["guideDismissed", t0 + 3000, { guide_id: tour.id, guide_step_id: a3, seen_reason: "continue" }],
    ]);
    const { body } = await guideJson("v-state");
    const guide = named(body, "Welcome tour") as Guide;
    assert.deepEqual(
      guide.steps.map((s) => [s.seenState, s.seenReason, (s.lastSeenAt as number) - t0, s.dismissCount]),
      [
        ["advanced", "auto", 1000, 0],
        ["advanced", "continue", 2000, 0],
        ["dismissed", "continue", 3000, 1],
      ],
    );
    assert.equal(guide.steps[0]?.destinationStepId, a2);
    assert.deepEqual(body.lastGuideStepSeen, {
      guideId: tour.id,
      guideStepId: a3,
      time: t0 + 3000,
      state: "dismissed",
      seenReason: "continue",
      visitorId: "v-state",
      isMultiStep: true,
    });
    // Another visitor's answer is untouched.
    const other = named((await guideJson("v-other")).body, "Welcome tour") as Guide;
    assert.deepEqual(
      other.steps.map((s) => s.seenState),
      ["notSeen", "notSeen", "notSeen"],
    );

    const reset = await v1("POST", `/api/v1/guide/${tour.id}/visitor/v-state/reset`);
    assert.equal(reset.status, 200, reset.text);
    const after = named((await guideJson("v-state")).body, "Welcome tour") as Guide;
    assert.deepEqual(
      after.steps.map((s) => s.seenState),
      ["notSeen", "notSeen", "notSeen"],
    );
    assert.ok((after.steps[0]?.resetAt as number) > t0, "resetAt: when the reset was made");
  });

  test("who is eligible: state, staged visitors, segment, dates, app; priority orders automatic guides", async () => {
    const segment = await v1("POST", "/api/v1/segment/upload", { name: "Beta", visitors: ["v-beta"] });
    assert.equal(segment.status, 200, segment.text);
    const step = [{ type: "banner", content: { blocks: [{ type: "text", text: "Hi" }] } }];
    const hour = 3_600_000;
    await makeGuide({ name: "Draft", steps: step }, "draft");
    await makeGuide({ name: "Staged", steps: step, stagedVisitorIds: ["v-qa"] }, "staged");
    await makeGuide({ name: "Beta only", steps: step, segmentId: segment.body.segmentId, priority: 900 });
    await makeGuide({ name: "Later", steps: step, startsAt: new Date(Date.now() + hour).toISOString() });
    await makeGuide({ name: "Over", steps: step, endsAt: new Date(Date.now() - hour).toISOString() });
    const page = await v1("POST", "/api/v1/page", { name: "Settings", rules: ["//*/settings"] });
    assert.equal(page.status, 201, page.text);
    await makeGuide({ name: "On settings", steps: step, pageId: page.body.id, priority: 10 });
    const disabled = await makeGuide({ name: "Disabled", steps: step });
    await admin("PUT", `/api/admin/guides/${disabled.id}/state`, { state: "disabled" });
    const otherApp = await createApp(cairn.metadata.db, {
      subscriptionId: cairn.installation.subscription.id,
      name: "Other app",
      actor: "test",
    });
    await makeGuide({ name: "Other app's", steps: step, appId: otherApp.id });

    const everyone = ["Beta only", "On settings", "Welcome tour"];
    const beta = await eventually(
      () => guideJson("v-beta"),
      (r) => ids(r.body).includes("On settings") && ids(r.body).includes("Beta only"),
    );
    assert.deepEqual(ids(beta.body).sort(), everyone);
    assert.deepEqual(
      beta.body.autoOrdering.map((id) => beta.body.guides.find((g) => g.id === id)?.name),
      ["Beta only", "On settings", "Welcome tour"],
      "highest priority first",
    );
    assert.deepEqual(ids((await guideJson("v-qa")).body).sort(), ["On settings", "Staged", "Welcome tour"]);
    assert.deepEqual(ids((await guideJson("v-nobody")).body).sort(), ["On settings", "Welcome tour"]);
    const other = await guideJson("v-beta", { appKey: otherApp.appKey });
    assert.deepEqual(ids(other.body), ["Other app's"]);

    // A page's rules become the steps' regexUrlRule; a deleted page shows its guide nowhere.
    const onSettings = named(beta.body, "On settings") as Guide;
    const rule = new RegExp(onSettings.steps[0]?.regexUrlRule as string);
    assert.equal(rule.test("http://app.example.com/settings"), true);
    assert.equal(rule.test("http://app.example.com/home"), false);
    assert.equal((await v1("DELETE", `/api/v1/page/${page.body.id}`)).status, 204);
    const gone = await eventually(
      () => guideJson("v-nobody"),
      (r) => named(r.body, "On settings")?.steps[0]?.regexUrlRule === "(?!)",
    );
    assert.equal(named(gone.body, "On settings")?.steps[0]?.regexUrlRule, "(?!)");
  });

  test("the subscription's throttle, with the clocks of the visitor's automatic guides", async () => {
    const t0 = Date.now() - 30_000;
    const [, , a3] = tour.steps.map((s) => s.id as string);
    await sendGuideEvents("v-throttle", [
      ["guideDismissed", t0, { guide_id: tour.id, guide_step_id: a3, seen_reason: "auto" }],
    ]);
    await setAutoGuideThrottle(cairn.metadata.db, cairn.installation.subscription.id, 12, "cli");
    try {
      const { body } = await guideJson("v-throttle");
      assert.deepEqual(body.throttling, { enabled: true, interval: 12, unit: "Hour", count: 1 });
      assert.equal(body.latestDismissedAutoAt, t0);
      assert.equal("finalAdvancedAutoAt" in body, false);
    } finally {
      await setAutoGuideThrottle(cairn.metadata.db, cairn.installation.subscription.id, 0, "cli");
    }
  });
});

describe("do not process", () => {
  const flag = (visitorId: string, body: unknown, key = writeKey) =>
    v1(
      "PUT",
      `/api/v1/metadata/visitor/pendo/value/${encodeURIComponent(visitorId)}/donotprocess`,
      body,
      key,
    );

  test("a flagged visitor gets 451 from guide.json and guide.js until the flag is cleared", async () => {
    const { appKey } = cairn.installation.app;
    const set = await flag("v-gdpr", true);
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.body, { visitorId: "v-gdpr", doNotProcess: true });
    const locked = await guideJson("v-gdpr");
    assert.equal(locked.status, 451);
    assert.equal(locked.body.statusCode, 451);
    const script = await fetch(`${cairn.publicUrl}/data/guide.js/${appKey}?jzb=${guideJzb("v-gdpr")}`);
    assert.equal(script.status, 451);
    assert.equal((await guideJson("v-not-flagged")).status, 200);

    assert.equal((await flag("v-gdpr", false)).status, 200);
    assert.equal((await guideJson("v-gdpr")).status, 200);
    const audit = await listAudit(cairn.metadata.db, cairn.installation.subscription.id, { limit: 5 });
    const entries = audit.filter((e) => e.action === "visitor.do_not_process");
    assert.deepEqual(
      entries.map((e) => [e.target, e.detail]),
      [
        ["v-gdpr", { doNotProcess: false }],
        ["v-gdpr", { doNotProcess: true }],
      ],
    );
  });

  test("anything but true or false is refused, and a read-only key cannot set it", async () => {
    for (const body of ["yes", 1, null, { value: true }]) {
      const answer = await flag("v-bad", body);
      assert.equal(answer.status, 400, `${JSON.stringify(body)}: ${answer.text}`);
      assert.match(errorOf(answer).message, /true or false/);
    }
    const long = await flag("x".repeat(600), true);
    assert.equal(long.status, 400);
    const readOnly = await flag("v-bad", true, readKey);
    assert.equal(readOnly.status, 403, readOnly.text);
    assert.equal((await guideJson("v-bad")).status, 200, "nothing was set");
  });
});
