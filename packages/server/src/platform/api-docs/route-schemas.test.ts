import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { RouteOptions } from "fastify";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { loadConfig } from "../config/load-config.js";
import { apiAreas, securitySchemes } from "../http/api-areas.js";
import { declaredRoutes } from "../http/declared-routes.js";
import { isApiRoute } from "./openapi-document.js";

/** Where the documented APIs live: a route under one of these must be filed under an area. */
const apiPrefixes = ["/api/v1/", "/api/admin/", "/feedback/", "/data/track", "/data/agentic"];

/** Writes that take no body at all; every other POST, PUT and PATCH must declare the body it takes. */
const takesNoBody = new Set([
  "POST /api/admin/sign-out",
  "POST /api/admin/keys/:id/revoke",
  "POST /api/admin/users/:id/sign-in-link",
  "POST /api/admin/segments/:id/refresh",
  "POST /api/v1/hooks/:id/roll-secret",
]);

type Schema = Record<string, unknown>;

const propertyNames = (schema: unknown): string[] =>
  Object.keys(((schema as Schema | undefined)?.properties as Schema | undefined) ?? {}).sort();

/** What a route of the documented APIs lacks; empty when it declares everything it takes and answers. */
export function schemaProblems(routes: readonly RouteOptions[]): string[] {
  const problems: string[] = [];
  for (const route of routes) {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      const name = `${method} ${route.url}`;
      const inApi = apiPrefixes.some((prefix) => route.url.startsWith(prefix));
      if (!isApiRoute(route)) {
        if (inApi) problems.push(`${name}: not filed under an API area (documentArea or inArea)`);
        continue;
      }
      const schema = (route.schema ?? {}) as Schema;
      if (typeof schema.summary !== "string" || schema.summary === "") problems.push(`${name}: no summary`);
      const urlParams = [...route.url.matchAll(/:(\w+)/g)].map((match) => match[1] ?? "").sort();
      if (urlParams.length > 0 && !schema.params) problems.push(`${name}: no params schema`);
      if (schema.params && propertyNames(schema.params).join() !== urlParams.join())
        problems.push(
          `${name}: the params schema names ${propertyNames(schema.params)}, the path ${urlParams}`,
        );
      if (method === "GET" && !schema.querystring) problems.push(`${name}: no querystring schema`);
      const writes = ["POST", "PUT", "PATCH"].includes(method);
      if (writes && !takesNoBody.has(name) && !schema.body) problems.push(`${name}: no body schema`);
      if (takesNoBody.has(name) && schema.body)
        problems.push(`${name}: has a body schema; take it off takesNoBody`);
      const statuses = Object.keys((schema.response as Schema | undefined) ?? {});
      if (!statuses.some((status) => /^2\d\d$/.test(status)))
        problems.push(`${name}: no response schema for its success status`);
    }
  }
  return problems;
}

let cairn: RunningCairn;
before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("route-schemas"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config);
});
after(() => cairn.shutdown());

test("every route of the v1, Feedback, track and admin APIs declares its params, query, body and answer", () => {
  const routes = declaredRoutes(cairn.app);
  const api = routes.filter(isApiRoute);
  assert.ok(api.length >= 45, `the API routes were recorded (${api.length})`);
  for (const area of Object.keys(apiAreas)) {
    assert.ok(
      api.some((route) => (route.schema as Schema).tags?.toString() === area),
      `a route filed under ${area}`,
    );
  }
  assert.deepEqual(schemaProblems(routes), []);
});

test("the check catches a route without schemas, a missing param and an unfiled API route", () => {
  const handler = async () => null;
  const filed = { tags: ["v1"], summary: "A route" };
  const problems = schemaProblems([
    { method: "POST", url: "/api/v1/things/:id", schema: { tags: ["v1"] }, handler },
    { method: "GET", url: "/api/v1/things/:id/:part", schema: { ...filed, params: {} }, handler },
    { method: "GET", url: "/api/v1/unfiled", handler },
    { method: "GET", url: "/data/ptm.gif/:appKey", handler },
  ]);
  assert.deepEqual(problems, [
    "POST /api/v1/things/:id: no summary",
    "POST /api/v1/things/:id: no params schema",
    "POST /api/v1/things/:id: no body schema",
    "POST /api/v1/things/:id: no response schema for its success status",
    "GET /api/v1/things/:id/:part: the params schema names , the path id,part",
    "GET /api/v1/things/:id/:part: no querystring schema",
    "GET /api/v1/things/:id/:part: no response schema for its success status",
    "GET /api/v1/unfiled: not filed under an API area (documentArea or inArea)",
  ]);
});

interface Operation {
  summary?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  responses: Record<string, unknown>;
}

test("GET /api/docs/openapi.json: OpenAPI 3.1, one operation per API route, each with its tag, keys and error body", async () => {
  const answer = await fetch(`${cairn.publicUrl}/api/docs/openapi.json`);
  assert.equal(answer.status, 200);
  assert.match(answer.headers.get("content-type") ?? "", /application\/json/);
  const document = (await answer.json()) as {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
  };
  assert.equal(document.openapi, "3.1.0");
  assert.deepEqual(
    Object.keys(document.components.securitySchemes).sort(),
    Object.keys(securitySchemes).sort(),
  );
  assert.ok(document.components.schemas.Error, "the shared error body");
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ name: `${method} ${path}`, operation })),
  );
  const apiRoutes = declaredRoutes(cairn.app).filter(isApiRoute);
  assert.equal(operations.length, apiRoutes.length, "every API route, and nothing else");
  for (const { name, operation } of operations) {
    assert.ok(operation.summary, `${name}: summary`);
    assert.equal(operation.tags?.length, 1, `${name}: one tag`);
    assert.ok(Object.hasOwn(apiAreas, operation.tags?.[0] ?? ""), `${name}: an area's tag`);
    for (const requirement of operation.security ?? [])
      for (const scheme of Object.keys(requirement)) assert.ok(Object.hasOwn(securitySchemes, scheme), name);
    assert.ok(
      Object.keys(operation.responses).some((status) => /^2\d\d$/.test(status)),
      `${name}: success`,
    );
    assert.deepEqual(operation.responses["4XX"], { $ref: "#/components/responses/Error" }, name);
  }
  const serverSide = ["/data/track", "/data/agentic"];
  assert.ok(
    !Object.keys(document.paths).some((path) => path.startsWith("/data/") && !serverSide.includes(path)),
  );
  assert.ok(!("/admin/sign-in" in document.paths) && !("/healthz" in document.paths));
  const ideas = document.paths["/api/v1/ideas"]?.post;
  assert.deepEqual(ideas?.security, [{ feedbackKey: [] }, { feedbackAuthToken: [] }]);
  assert.deepEqual(document.paths["/api/v1/visitor/{visitorId}"]?.get?.security, [{ integrationKey: [] }]);
  assert.deepEqual(document.paths["/data/track"]?.post?.security, [{ trackSecret: [] }]);
  assert.deepEqual(document.paths["/data/agentic"]?.post?.security, [{ trackSecret: [] }]);
  assert.deepEqual(document.paths["/api/admin/apps"]?.get?.security, [{ adminSession: [] }]);
  assert.deepEqual(document.paths["/api/admin/sign-in"]?.post?.security, []);
});

test("GET /api/docs: the reference page and every asset it loads come from this server", async () => {
  const page = await fetch(`${cairn.publicUrl}/api/docs`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type") ?? "", /text\/html/);
  const html = await page.text();
  const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? "");
  assert.ok(assets.length >= 4, html);
  for (const asset of assets) {
    assert.match(asset, /^\/api\/docs\//, `served here, not from a CDN: ${asset}`);
    const loaded = await fetch(`${cairn.publicUrl}${asset}`);
    assert.equal(loaded.status, 200, asset);
    await loaded.arrayBuffer();
  }
  const initializer = await (await fetch(`${cairn.publicUrl}/api/docs/static/swagger-initializer.js`)).text();
  assert.match(
    initializer,
    /validatorUrl: null/,
    "no validator badge, which Swagger UI fetches from outside",
  );
  const unknown = await fetch(`${cairn.publicUrl}/api/docs/nothing-here`);
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, "not_found");
});
