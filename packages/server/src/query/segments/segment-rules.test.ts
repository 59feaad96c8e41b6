import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { listAudit } from "../../access/audit/audit-log.js";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import {
  type AdminSession,
  type Answer,
  adminSession,
  callAdmin,
  callApi,
  errorOf,
  type Json,
} from "../../start/test-support/api-calls.js";
import { keysOfEveryKind } from "../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { parseExpression } from "../aggregation/expression/parse-expression.js";
import { checkedRule, literal, ruleFilter } from "./segment-rule.js";

let cairn: RunningCairn;
let integrationKey: string;
let owner: AdminSession;

const hostile = [
  'pro" || true || "',
  "pro\\",
  'a\\" || visitorId != "',
  "x' || 1 == 1 || '",
  "`) || true || (`",
  "line\nbreak\ttab",
  "); DROP TABLE segments; --",
  "$" + "{visitorId}",
];

async function setCustom(values: Record<string, Json>): Promise<void> {
  const answer = await callApi(cairn, "POST", "/api/v1/metadata/visitor/custom/value?create=true", {
    key: integrationKey,
    body: Object.entries(values).map(([visitorId, v]) => ({ visitorId, values: v })),
  });
  assert.equal(answer.status, 200, answer.text);
}

function expectError(answer: Answer, status: number, code: string, message?: RegExp): void {
  assert.equal(answer.status, status, answer.text);
  assert.equal(errorOf(answer).code, code);
  if (message) assert.match(errorOf(answer).message, message);
}

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("segment-rules"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config);
  integrationKey = (await keysOfEveryKind(cairn)).integration;
  owner = await adminSession(cairn, "owner");
  await setCustom({
    ann: { plan: "pro", seats: 12 },
    bob: { plan: "pro", seats: 3 },
    cat: { plan: "free", seats: 1 },
    dan: { plan: hostile[0] as string },
    eve: { plan: hostile[1] as string },
  });
});
after(() => cairn.shutdown());

describe("segment rules: checking", () => {
  test("a bad field, operator or value is a 400 that names the condition", () => {
    const cases: [unknown, RegExp][] = [
      [[], /rule is empty/],
      [{}, /rule must be a list/],
      [
        [{ field: "metadata.custom", operator: "equals", value: "x" }],
        /rule\[0\]\.field is "metadata\.custom"/,
      ],
      [[{ field: "metadata.secret.x", operator: "equals", value: "x" }], /rule\[0\]\.field/],
      [[{ field: "metadata.custom.a-b", operator: "equals", value: "x" }], /letters, digits/],
      [[{ field: "metadata.custom.a) || (true", operator: "equals", value: "x" }], /rule\[0\]\.field/],
      [[{ field: "metadata.auto.password", operator: "equals", value: "x" }], /metadata\.auto has/],
      [[{ field: "accountId", operator: "equals", value: "x" }], /rule\[0\]\.field/],
      [
        [
          { field: "visitorId", operator: "exists" },
          { field: "visitorId", operator: "matches", value: "x" },
        ],
        /rule\[1\]\.operator is "matches"; it is one of equals, notEquals/,
      ],
      [[{ field: "visitorId", operator: "equals" }], /rule\[0\]\.value is missing/],
      [[{ field: "visitorId", operator: "exists", value: "x" }], /exists takes none/],
      [[{ field: "visitorId", operator: "contains", value: 3 }], /contains takes text/],
      [[{ field: "visitorId", operator: "greaterThan", value: true }], /rule\[0\]\.value/],
      [[{ field: "visitorId", operator: "equals", value: 1e21 }], /plain decimal/],
      [[{ field: "visitorId", operator: "equals", value: { x: 1 } }], /text, a number/],
    ];
    for (const [rule, message] of cases)
      assert.throws(() => checkedRule(rule), message, JSON.stringify(rule));
  });

  test("hostile values stay plain values: each reads back as exactly the literal given", () => {
    for (const value of hostile) {
      const parsed = parseExpression(literal(value));
      assert.deepEqual(parsed, { kind: "literal", value });
      const filter = ruleFilter(checkedRule([{ field: "metadata.custom.plan", operator: "equals", value }]));
      const expr = parseExpression(filter);
      assert.equal(expr.kind, "binary", filter);
    }
    assert.equal(
      ruleFilter(
        checkedRule([
          { field: "metadata.custom.seats", operator: "greaterThan", value: -2.5 },
          { field: "metadata.auto.lastvisit", operator: "exists" },
        ]),
      ),
      "(metadata.custom.seats > -2.5) && (!isNull(metadata.auto.lastvisit))",
    );
  });
});

describe("segment rules: admin API", () => {
  const pro = [{ field: "metadata.custom.plan", operator: "equals", value: "pro" }];

  test("POST /segments/preview answers the count and a sample, and saves nothing", async () => {
    const preview = await callAdmin(cairn, owner, "POST", "/api/admin/segments/preview", { rule: pro });
    assert.equal(preview.status, 200, preview.text);
    assert.deepEqual(preview.body, { count: 2, sample: ["ann", "bob"] });
    const seats = await callAdmin(cairn, owner, "POST", "/api/admin/segments/preview", {
      rule: [
        { field: "metadata.custom.seats", operator: "greaterThan", value: 2 },
        { field: "visitorId", operator: "startsWith", value: "a" },
      ],
    });
    assert.deepEqual(seats.body, { count: 1, sample: ["ann"] });
    const segments = await cairn.metadata.db.selectFrom("segments").select("id").execute();
    assert.equal(segments.length, 0);
    const viewer = await adminSession(cairn, "viewer");
    assert.equal(
      (await callAdmin(cairn, viewer, "POST", "/api/admin/segments/preview", { rule: pro })).status,
      200,
    );
  });

  test("hostile values match only visitors whose field holds exactly that text", async () => {
    for (const [value, expected] of [
      [hostile[0], ["dan"]],
      [hostile[1], ["eve"]],
      ...hostile.slice(2).map((v) => [v, []] as const),
    ] as const) {
      const preview = await callAdmin(cairn, owner, "POST", "/api/admin/segments/preview", {
        rule: [{ field: "metadata.custom.plan", operator: "equals", value }],
      });
      assert.equal(preview.status, 200, preview.text);
      assert.deepEqual(preview.body.sample, expected, JSON.stringify(value));
    }
  });

  test("a bad rule is a 400 naming the condition, through the route too", async () => {
    expectError(
      await callAdmin(cairn, owner, "POST", "/api/admin/segments/preview", {
        rule: [{ field: "metadata.custom.plan", operator: "like", value: "p" }],
      }),
      400,
      "bad_request",
      /rule\[0\]\.operator/,
    );
    expectError(
      await callAdmin(cairn, owner, "POST", "/api/admin/segments", {
        name: "Both",
        visitors: ["a"],
        rule: pro,
      }),
      400,
      "bad_request",
      /not both/,
    );
    expectError(
      await callAdmin(cairn, owner, "POST", "/api/admin/segments", { name: "Neither" }),
      400,
      "bad_request",
      /visitors .* or a rule/,
    );
  });

  test("create from a rule stores the matches; refresh picks up a new match; audited", async () => {
    const created = await callAdmin(cairn, owner, "POST", "/api/admin/segments", { name: "Pro", rule: pro });
    assert.equal(created.status, 201, created.text);
    const id = String(created.body.id);
    assert.equal(created.body.visitorCount, 2);
    assert.deepEqual(created.body.rule, pro);
    await setCustom({ fay: { plan: "pro" }, ann: { plan: "free" } });
    const stale = await callAdmin(cairn, owner, "GET", `/api/admin/segments/${id}`);
    assert.equal(stale.body.visitorCount, 2, "a snapshot until refreshed");
    const refreshed = await callAdmin(cairn, owner, "POST", `/api/admin/segments/${id}/refresh`);
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.equal(refreshed.body.visitorCount, 2);
    const rows = await cairn.metadata.db
      .selectFrom("segment_visitors")
      .select("visitor_id")
      .where("segment_id", "=", id)
      .orderBy("visitor_id")
      .execute();
    assert.deepEqual(
      rows.map((r) => r.visitor_id),
      ["bob", "fay"],
    );
    const audit = await listAudit(cairn.metadata.db, cairn.installation.subscription.id, { target: id });
    assert.deepEqual(audit.map((a) => a.action).sort(), ["segment.created", "segment.refreshed"]);

    const list = await callAdmin(cairn, owner, "POST", "/api/admin/segments", { name: "L", visitors: ["x"] });
    expectError(
      await callAdmin(cairn, owner, "POST", `/api/admin/segments/${list.body.id}/refresh`),
      400,
      "bad_request",
      /nothing to refresh/,
    );
    expectError(
      await callAdmin(cairn, owner, "POST", "/api/admin/segments/seg_nope/refresh"),
      404,
      "not_found",
    );
  });

  test("refresh while another write holds the segment is 409, and changes nothing", async () => {
    const created = await callAdmin(cairn, owner, "POST", "/api/admin/segments", { name: "Held", rule: pro });
    const id = String(created.body.id);
    await cairn.metadata.db
      .updateTable("segments")
      .set({ write_lease: "someone-else", write_lease_until: new Date(Date.now() + 60_000).toISOString() })
      .where("id", "=", id)
      .execute();
    expectError(
      await callAdmin(cairn, owner, "POST", `/api/admin/segments/${id}/refresh`),
      409,
      "conflict",
      /Operation in progress/,
    );
    const row = await cairn.metadata.db
      .selectFrom("segments")
      .select(["write_lease", "visitor_count"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { write_lease: "someone-else", visitor_count: 2 });
  });

  test("viewers preview and read but cannot create from a rule or refresh", async () => {
    const viewer = await adminSession(cairn, "viewer");
    expectError(
      await callAdmin(cairn, viewer, "POST", "/api/admin/segments", { name: "V", rule: pro }),
      403,
      "forbidden",
    );
    const created = await callAdmin(cairn, owner, "POST", "/api/admin/segments", { name: "Mine", rule: pro });
    expectError(
      await callAdmin(cairn, viewer, "POST", `/api/admin/segments/${created.body.id}/refresh`),
      403,
      "forbidden",
    );
    const fields = await callAdmin(cairn, viewer, "GET", "/api/admin/segments/fields");
    assert.equal(fields.status, 200, fields.text);
    const names = (fields.body.fields as { field: string; type: string }[]).map((f) => f.field);
    for (const name of [
      "visitorId",
      "metadata.custom.plan",
      "metadata.custom.seats",
      "metadata.auto.lastvisit",
    ])
      assert.ok(names.includes(name), name);
  });
});
