import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import type { InjectOptions } from "fastify";
import { CairnError } from "../errors/cairn-error.js";
import { buildApp } from "./build-app.js";

function appWithRoutes() {
  const logs = new PassThrough();
  let logText = "";
  logs.on("data", (chunk: Buffer) => {
    logText += chunk.toString();
  });
  const app = buildApp({
    logLevel: "info",
    logStream: logs,
    accepting: () => true,
    engines: { metadata: "sqlite", events: "duckdb" },
  });
  app.get("/boom", async () => {
    throw new Error("secret internals: connection string postgres://u:p@db");
  });
  app.get("/limited", async () => {
    throw new CairnError("rate_limited", { headers: { "retry-after": "7" } });
  });
  app.post(
    "/echo",
    { schema: { body: { type: "object", required: ["title"], properties: { title: { type: "string" } } } } },
    async (request) => request.body,
  );
  return { app, logs: () => logText };
}

const errorShape =
  /^\{"error":\{"code":"[a-z_]+","message":"[^"]+","hint":"[^"]+","requestId":"req_[\w-]+"\}\}$/;

test("an unknown path answers 404 in the one error shape", async () => {
  const { app } = appWithRoutes();
  const response = await app.inject({ method: "GET", url: "/nowhere" });
  assert.equal(response.statusCode, 404);
  assert.match(response.body, errorShape);
  assert.equal(response.json().error.code, "not_found");
});

test("an unexpected exception answers 500 with generic text; the details go to the log only", async () => {
  const { app, logs } = appWithRoutes();
  const response = await app.inject({ method: "GET", url: "/boom" });
  assert.equal(response.statusCode, 500);
  assert.match(response.body, errorShape);
  assert.equal(response.json().error.code, "internal");
  assert.ok(
    !response.body.includes("secret internals") && !response.body.includes("at "),
    "no exception text or stack",
  );
  assert.match(logs(), /secret internals/);
  assert.ok(
    logs().includes(response.json().error.requestId),
    "the log line carries the requestId to find it",
  );
});

test("a catalogued error keeps its status and headers", async () => {
  const { app } = appWithRoutes();
  const response = await app.inject({ method: "GET", url: "/limited" });
  assert.equal(response.statusCode, 429);
  assert.equal(response.headers["retry-after"], "7");
  assert.equal(response.json().error.code, "rate_limited");
});

test("malformed JSON, a wrong content type, an oversized body and a schema violation are 4xx with clear codes", async () => {
  const { app } = appWithRoutes();
  const cases: Array<[InjectOptions, number, string]> = [
    [
      { method: "POST", url: "/echo", headers: { "content-type": "application/json" }, payload: '{"title":' },
      400,
      "bad_request",
    ],
    [
      { method: "POST", url: "/echo", headers: { "content-type": "application/x-weird" }, payload: "x" },
      415,
      "unsupported_media_type",
    ],
    [
      {
        method: "POST",
        url: "/echo",
        headers: { "content-type": "application/json" },
        payload: JSON.stringify({ title: "x".repeat(2_000_000) }),
      },
      413,
      "payload_too_large",
    ],
    [
      { method: "POST", url: "/echo", headers: { "content-type": "application/json" }, payload: "{}" },
      400,
      "bad_request",
    ],
  ];
  for (const [request, status, code] of cases) {
    const response = await app.inject(request);
    assert.equal(response.statusCode, status, `${code}: ${response.body}`);
    assert.match(response.body, errorShape);
    assert.equal(response.json().error.code, code);
  }
});

test("a secret key in the URL is not echoed or logged", async () => {
  const { app, logs } = appWithRoutes();
  const key = "cik_0123456789abcdefghijklmnopqrstuvwxyzAB1234";
  const response = await app.inject({ method: "GET", url: `/data/ptm.gif/${key}?auth-token=${key}` });
  assert.equal(response.statusCode, 404);
  assert.ok(!response.body.includes(key));
  assert.ok(!logs().includes(key));
  assert.match(logs(), /\/data\/ptm\.gif\/\[redacted\]\?auth-token=\[redacted\]/);
});

test("/healthz reports ok; once shutdown began every route answers 503 shutting_down", async () => {
  let accepting = true;
  const app = buildApp({
    logLevel: "silent",
    accepting: () => accepting,
    engines: { metadata: "sqlite", events: "duckdb" },
  });
  const ok = await app.inject({ method: "GET", url: "/healthz" });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json().stores, { metadata: "sqlite", events: "duckdb" });
  accepting = false;
  for (const url of ["/healthz", "/anything"]) {
    const closing = await app.inject({ method: "GET", url });
    assert.equal(closing.statusCode, 503);
    assert.match(closing.body, errorShape);
    assert.equal(closing.json().error.code, "shutting_down");
  }
});
