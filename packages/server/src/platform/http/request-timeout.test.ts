import assert from "node:assert/strict";
import { connect } from "node:net";
import { test } from "node:test";
import { buildApp } from "./build-app.js";

test("a client that trickles its body is cut off at the request timeout, not held forever", async () => {
  const app = buildApp({
    logLevel: "silent",
    accepting: () => true,
    engines: { metadata: "sqlite", events: "duckdb" },
    requestTimeoutMs: 400,
  });
  app.post("/echo", async (request) => request.body);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  assert.ok(address && typeof address === "object");
  const socket = connect(address.port, "127.0.0.1");
  let answer = "";
  socket.on("data", (chunk) => {
    answer += chunk.toString();
  });
  const started = performance.now();
  socket.write(
    "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
  );
  const trickle = setInterval(() => socket.write(" "), 100);
  await new Promise<void>((resolve) => socket.on("close", () => resolve()));
  clearInterval(trickle);
  const heldMs = performance.now() - started;
  assert.ok(heldMs < 5_000, `the socket was held ${Math.round(heldMs)} ms`);
  assert.match(answer, /^HTTP\/1\.1 408/);
  await app.close();
});
