import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { afterEach, describe, it } from "node:test";
import { runInContext } from "node:vm";
import { agentBundlePath, renderAgent } from "../../serve.js";
import type { AgentConfig } from "../agent-config.js";
import type { CairnAgent } from "../api/create-agent.js";
import { listIdeas, submitIdea, vote } from "../feedback-panel/panel-requests.js";
import { fakeBrowser } from "../test-support/fake-browser.js";

const bundle = readFileSync(agentBundlePath, "utf8");
const config: AgentConfig = {
  apiKey: "app-key",
  dataHost: "http://cairn.test",
  version: "0.1.0",
  excludeAllText: true,
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function startAgent(served: AgentConfig, init: string) {
  const browser = fakeBrowser("http://shop.test/");
  runInContext(renderAgent(bundle, served), browser.context);
  runInContext(init, browser.context);
  return { browser, pendo: runInContext("pendo", browser.context) as CairnAgent };
}

describe("the page's identity token on beacons", () => {
  it("rides along as &jwt= on every beacon when the app requires signed events, renewed by updateOptions", async () => {
    const { browser, pendo } = startAgent(
      { ...config, signedEvents: true },
      "pendo.initialize({ visitor: { id: 'v1' }, identityToken: 'h.p.s1' });",
    );
    pendo.track("Exported");
    await settle();
    assert.ok(browser.requests.length >= 2);
    for (const request of browser.requests) assert.match(request.url, /&jwt=h\.p\.s1(&|$)/);
    pendo.updateOptions({ identityToken: "h.p.s2" });
    pendo.track("Exported again");
    await pendo.flushNow();
    assert.match(browser.requests.at(-1)?.url ?? "", /&jwt=h\.p\.s2(&|$)/);
    pendo.clearSession();
    pendo.track("Signed out");
    await pendo.flushNow();
    assert.doesNotMatch(browser.requests.at(-1)?.url ?? "", /jwt=/, "clearSession forgets the token");
    pendo.teardown();
  });

  it("stays off beacons when the app does not require it, so no token sits in URLs for nothing", async () => {
    const { browser, pendo } = startAgent(
      config,
      "pendo.initialize({ visitor: { id: 'v1' }, identityToken: 'h.p.s' });",
    );
    await settle();
    assert.ok(browser.requests.length >= 1);
    for (const request of browser.requests) assert.doesNotMatch(request.url, /jwt=/);
    pendo.teardown();
  });
});

describe("the page's identity token on the feedback panel's requests", () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  function recordFetch() {
    const calls: Array<{ url: string; headers: Record<string, string> }> = [];
    globalThis.fetch = (async (url: string, init: { headers?: Record<string, string> }) => {
      calls.push({ url, headers: init.headers ?? {} });
      return new Response(JSON.stringify({ ideas: [], idea: {} }), { status: 200 });
    }) as typeof fetch;
    return calls;
  }

  it("goes in the x-cairn-identity header of reads and writes when the page gave one", async () => {
    const calls = recordFetch();
    const host = { endpoint: "http://cairn.test/data/feedback/k", token: () => "h.p.s" };
    const user = { id: "v1" };
    await listIdeas(host, user);
    await submitIdea(host, user, "Dark mode", "");
    await vote(host, user, "idea_1", 1);
    assert.deepEqual(
      calls.map((c) => [c.url, c.headers["x-cairn-identity"]]),
      [
        ["http://cairn.test/data/feedback/k/ideas?visitorId=v1", "h.p.s"],
        ["http://cairn.test/data/feedback/k/ideas", "h.p.s"],
        ["http://cairn.test/data/feedback/k/votes", "h.p.s"],
      ],
    );
  });

  it("is left out without one, so apps that sign nothing work as before", async () => {
    const calls = recordFetch();
    await listIdeas({ endpoint: "http://cairn.test/data/feedback/k", token: () => null }, { id: "v1" });
    assert.equal(calls[0]?.headers["x-cairn-identity"], undefined);
  });
});
