import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { strictWebhookPolicy, webhookPolicy } from "../feedback/webhooks/webhook-policy.js";
import { loadConfig } from "../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../start/start-cairn.js";
import {
  type AdminSession,
  type Answer,
  adminSession,
  callAdmin,
  errorOf,
} from "../start/test-support/api-calls.js";
import { tempDir } from "../start/test-support/temp-dir.js";
import { AnchorPageError, anchorFetchLimits, fetchAnchorPage } from "./anchor-page.js";

const page = `<!doctype html><html><body>
  <nav><a class="nav-link" href="/">Home</a><a class="nav-link active" href="/reports">Reports</a></nav>
  <main><button id="save" class="primary big">Save   changes</button>
  <button class="secondary">Cancel</button><button>${"x".repeat(100)}</button></main>
</body></html>`;

let site: Server;
let base: string;
let cairn: RunningCairn;
let owner: AdminSession;

before(async () => {
  site = createServer((request, response) => {
    const path = request.url ?? "/";
    if (path === "/app")
      return response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
    if (path === "/moved") return response.writeHead(302, { location: "/app" }).end();
    if (path === "/loop") return response.writeHead(302, { location: "/loop" }).end();
    if (path === "/json") return response.writeHead(200, { "content-type": "application/json" }).end("{}");
    if (path === "/huge") {
      response.writeHead(200, { "content-type": "text/html" });
      const chunk = `<p>${"a".repeat(64 * 1024)}</p>`;
      for (let i = 0; i < 40; i++) response.write(chunk);
      return response.end();
    }
    if (path === "/slow") return; // never answers
    response.writeHead(404, { "content-type": "text/html" }).end("<p>no</p>");
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  const config = loadConfig(
    { dataDir: tempDir("anchor-count"), port: "0", logLevel: "silent" },
    { CAIRN_WEBHOOK_ALLOW: "127.0.0.1" },
    process.cwd(),
  );
  cairn = await startCairn(config);
  owner = await adminSession(cairn, "owner");
});
after(async () => {
  await cairn.shutdown();
  site.closeAllConnections();
  await new Promise((resolve) => site.close(resolve));
});

const count = (body: unknown, session = owner) =>
  callAdmin(cairn, session, "POST", "/api/admin/guides/anchor-count", body);

function expectBadRequest(answer: Answer, message: RegExp): void {
  assert.equal(answer.status, 400, answer.text);
  assert.equal(errorOf(answer).code, "bad_request");
  assert.match(errorOf(answer).message, message);
}

describe("POST /api/admin/guides/anchor-count", () => {
  test("counts the elements a selector matches on the page and describes a few", async () => {
    const answer = await count({ url: `${base}/app`, selector: "button" });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.count, 3);
    assert.deepEqual((answer.body.sample as unknown as string[]).slice(0, 2), [
      'button#save.primary.big "Save changes"',
      'button.secondary "Cancel"',
    ]);
    assert.match((answer.body.sample as unknown as string[])[2] ?? "", /^button "x{40}…"$/);
    const one = await count({ url: `${base}/app`, selector: " nav > a.active " });
    assert.equal(one.body.count, 1);
    const none = await count({ url: `${base}/app`, selector: "#nothing" });
    assert.deepEqual([none.body.count, none.body.sample], [0, []]);
  });

  test("follows a redirect and names the page it read", async () => {
    const answer = await count({ url: `${base}/moved`, selector: "#save" });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual([answer.body.url, answer.body.count], [`${base}/app`, 1]);
  });

  test("a missing, empty or non-text field names the field", async () => {
    expectBadRequest(await count({ selector: "a" }), /^url: is missing/);
    expectBadRequest(await count({ url: `${base}/app` }), /^selector: is missing/);
    expectBadRequest(await count({ url: "  ", selector: "a" }), /^url: is missing/);
    expectBadRequest(await count({ url: 5, selector: "a" }), /^url: is missing/);
    expectBadRequest(await count([]), /^url: is missing/);
    expectBadRequest(await count({ url: `${base}/${"a".repeat(2001)}`, selector: "a" }), /^url: is longer/);
  });

  test("an invalid selector is refused before the page is read", async () => {
    for (const selector of ["a[", "a,,b", "div >> p", "::nope(", "#", "a:unknown-pseudo"])
      expectBadRequest(
        await count({ url: "http://never.invalid/", selector }),
        /^selector: is not a valid CSS selector/,
      );
  });

  test("URLs that are not http(s) or not absolute are refused", async () => {
    expectBadRequest(await count({ url: "/app", selector: "a" }), /^url: is not an absolute URL/);
    for (const url of [
      "ftp://example.com/",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "data:text/html,<a>",
    ])
      expectBadRequest(await count({ url, selector: "a" }), /^url: \w+: URLs are not read/);
    expectBadRequest(await count({ url: `http://u:p@127.0.0.1/`, selector: "a" }), /user name or password/);
  });

  test("pages that are not HTML, too big, missing, looping or unreachable say why", async () => {
    expectBadRequest(
      await count({ url: `${base}/json`, selector: "a" }),
      /^url: the page is application\/json, not HTML/,
    );
    expectBadRequest(
      await count({ url: `${base}/huge`, selector: "a" }),
      /^url: the page is larger than 2 MB/,
    );
    expectBadRequest(
      await count({ url: `${base}/gone`, selector: "a" }),
      /^url: 127\.0\.0\.1:\d+ answered HTTP 404/,
    );
    expectBadRequest(await count({ url: `${base}/loop`, selector: "a" }), /^url: more than 3 redirects/);
    expectBadRequest(
      await count({ url: "http://127.0.0.1:1/", selector: "a" }),
      /^url: could not read 127\.0\.0\.1:1: ECONNREFUSED/,
    );
  });

  test("addresses inside a network are refused unless the operator allowed them", async () => {
    expectBadRequest(
      await count({ url: "http://10.1.2.3/", selector: "a" }),
      /^url: 10\.1\.2\.3, a private address is inside a network; ask the operator/,
    );
    expectBadRequest(
      await count({ url: "http://[::1]/", selector: "a" }),
      /^url: ::1, a loopback address is inside a network/,
    );
  });

  test("a viewer may not ask", async () => {
    const viewer = await adminSession(cairn, "viewer");
    const answer = await count({ url: `${base}/app`, selector: "a" }, viewer);
    assert.equal(answer.status, 403);
  });
});

describe("fetchAnchorPage", () => {
  const refusedWith = (message: RegExp) => (error: unknown) =>
    error instanceof AnchorPageError && error.reason === "refused" && message.test(error.message);

  test("the default policy refuses loopback, by address and by name", async () => {
    await assert.rejects(
      fetchAnchorPage(`${base}/app`, strictWebhookPolicy),
      refusedWith(/127\.0\.0\.1, a loopback address/),
    );
    await assert.rejects(
      fetchAnchorPage("http://localhost/app", strictWebhookPolicy, anchorFetchLimits, async () => [
        { address: "127.0.0.1", family: 4 },
      ]),
      refusedWith(/localhost resolves to 127\.0\.0\.1, a loopback address; ask the operator/),
    );
  });

  test("a redirect to an internal address is checked again", async () => {
    const policy = webhookPolicy({ allow: ["127.0.0.1"], allowHttp: false });
    const jump = createServer((_request, response) =>
      response.writeHead(302, { location: "http://10.0.0.9/" }).end(),
    );
    await new Promise<void>((resolve) => jump.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(jump.address() as AddressInfo).port}/`;
      await assert.rejects(fetchAnchorPage(url, policy), refusedWith(/10\.0\.0\.9, a private address/));
    } finally {
      jump.closeAllConnections();
      jump.close();
    }
  });

  test("a page that does not answer in time", async () => {
    const policy = webhookPolicy({ allow: ["127.0.0.1"], allowHttp: false });
    await assert.rejects(
      fetchAnchorPage(`${base}/slow`, policy, { ...anchorFetchLimits, timeoutMs: 200 }),
      (error) => error instanceof AnchorPageError && /did not answer within 0\.2 seconds/.test(error.message),
    );
  });
});
