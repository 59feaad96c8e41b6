import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { sql } from "kysely";
import { loadConfig } from "../platform/config/load-config.js";
import { declaredRoutes } from "../platform/http/declared-routes.js";
import { countEvents } from "../store/events/event-reads.js";
import { type RunningCairn, startCairn } from "./start-cairn.js";
import { type KeysOfEveryKind, keysOfEveryKind } from "./test-support/keys-of-every-kind.js";
import { tempDir } from "./test-support/temp-dir.js";

/**
 * The abuse suite: every public endpoint (collector, agent, v1, Feedback, sign-in) fed generated paths,
 * query strings, headers and bodies. Never a 5xx, never a request that hangs, nothing stored by a refused
 * request, and the server healthy afterwards.
 */

let cairn: RunningCairn;
let keys: KeysOfEveryKind;
let routes: { method: string; url: string }[];

const publicPath = /^\/(data|agent|api\/v1|feedback)\/|^\/api\/admin\/sign-in/;
// Audit records, keys' last-use and exposure flags, and the revision that tells caches about them are how a
// refusal is recorded; everything else is data a refused request must not have written.
const refusalRecords = new Set(["audit_log", "api_keys", "cache_revisions", "kysely_migration"]);

before(async () => {
  const config = loadConfig({ dataDir: tempDir("fuzz"), port: "0", logLevel: "silent" }, {}, process.cwd());
  cairn = await startCairn(config);
  keys = await keysOfEveryKind(cairn);
  routes = declaredRoutes(cairn.app)
    .flatMap((route) =>
      (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({
        method: String(method),
        url: route.url,
      })),
    )
    .filter((route) => publicPath.test(route.url) && route.method !== "OPTIONS");
});
after(() => cairn.shutdown());

/** Row counts of every data table, and the events stored once everything acknowledged is loaded. */
async function storedState(): Promise<string> {
  await cairn.writer.flush();
  const tables = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(
    cairn.metadata.db,
  );
  const counts: string[] = [];
  for (const { name } of tables.rows) {
    if (refusalRecords.has(name)) continue;
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(
      cairn.metadata.db,
    );
    counts.push(`${name}=${rows[0]?.n}`);
  }
  const events = await countEvents(cairn.events, { subscriptionId: cairn.installation.subscription.id });
  return `${counts.join(" ")} events=${events}`;
}

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    "",
    "%",
    "%00",
    "../..",
    "<script>alert(1)</script>",
    "'; drop table users; --",
    "🙂",
    "a".repeat(3000),
  ),
);
const keyHeader = () =>
  fc.constantFrom(keys.integration, keys.feedback, keys.track, keys.app, "cik_garbage", "", undefined);
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom(
      "type",
      "event",
      "visitorId",
      "events",
      "pipeline",
      "request",
      "user",
      "title",
      "token",
      "email",
      "password",
    ),
    fc.jsonValue({ maxDepth: 2 }),
  ),
  text,
);

const requestShape = () =>
  fc.record({
    route: fc.nat({ max: routes.length - 1 }),
    params: fc.array(fc.oneof(text, fc.constant(keys.app)), { minLength: 4, maxLength: 4 }),
    query: fc.dictionary(
      fc.constantFrom("jzb", "v", "ct", "limit", "start", "expand", "id", "case_id", "user_id", "auth-token"),
      text,
      { maxKeys: 3 },
    ),
    integrationKey: keyHeader(),
    authToken: keyHeader(),
    origin: fc.option(fc.constantFrom("https://evil.example", "null"), { nil: undefined }),
    contentType: fc.constantFrom(
      "application/json",
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/octet-stream",
    ),
    body,
  });

function withinSeconds<T>(seconds: number, work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${seconds} s`)), seconds * 1000).unref(),
    ),
  ]);
}

test("generated requests to every public endpoint: no 5xx, no hang, nothing stored when refused", async () => {
  assert.ok(routes.length > 40, `found only ${routes.length} public routes`);
  let before = await storedState();
  await fc.assert(
    fc.asyncProperty(requestShape(), async (shape) => {
      const route = routes[shape.route];
      assert.ok(route);
      let index = 0;
      const url = route.url.replace(/:(\w+)|\*/g, () => encodeURIComponent(shape.params[index++ % 4] ?? ""));
      const headers: Record<string, string> = { "content-type": shape.contentType };
      if (shape.integrationKey) headers["x-pendo-integration-key"] = shape.integrationKey;
      if (shape.authToken) headers["auth-token"] = shape.authToken;
      if (shape.origin) headers.origin = shape.origin;
      const hasBody = route.method !== "GET" && route.method !== "HEAD" && shape.body !== undefined;
      const answer = await withinSeconds(
        10,
        cairn.app.inject({
          method: route.method as "GET",
          url,
          query: shape.query,
          headers,
          ...(hasBody
            ? { payload: typeof shape.body === "string" ? shape.body : JSON.stringify(shape.body) }
            : {}),
        }),
      );
      assert.ok(
        answer.statusCode < 500,
        `${route.method} ${url} → ${answer.statusCode} ${answer.body.slice(0, 300)}`,
      );
      const after = await storedState();
      if (answer.statusCode >= 400)
        assert.equal(
          after,
          before,
          `${route.method} ${url} was refused (${answer.statusCode}) but stored something`,
        );
      before = after;
    }),
    { numRuns: 400 },
  );
  const health = await cairn.app.inject({ method: "GET", url: "/healthz" });
  assert.equal(health.statusCode, 200);
});
