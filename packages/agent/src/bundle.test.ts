import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { runInContext } from "node:vm";
import { gzipSync, inflateSync } from "node:zlib";
import { agentBundlePath, feedbackPanelBundlePath, guidesBundlePath, renderAgent } from "../serve.js";
import type { AgentConfig } from "./agent-config.js";
import type { CairnAgent } from "./api/create-agent.js";
import { fakeBrowser, type SentRequest } from "./test-support/fake-browser.js";
import { el } from "./test-support/fake-dom.js";

const budgetBytes = 12 * 1024;
const bundle = readFileSync(agentBundlePath, "utf8");

/** The stub of the install snippet (pendo-api.md §1.1, as Cairn's server prints it), without the page's calls. */
const snippetStub = `(function(p,e,n,d,o){var v,w,x,y,z;o=p[d]=p[d]||{};o._q=o._q||[];
v=['initialize','identify','updateOptions','pageLoad','track'];for(w=0,x=v.length;w<x;++w)(function(m){
o[m]=o[m]||function(){o._q[m===v[0]?'unshift':'push']([m].concat([].slice.call(arguments,0)));};})(v[w]);
y=e.createElement(n);y.async=!0;y.src='http://cairn.test/agent/static/app-key/pendo.js';
z=e.getElementsByTagName(n)[0];z.parentNode.insertBefore(y,z);})(window,document,'script','pendo');`;

const config: AgentConfig = {
  apiKey: "app-key",
  dataHost: "http://cairn.test",
  version: "0.1.0",
  excludeAllText: true,
};

function decode(request: SentRequest): Array<Record<string, unknown>> {
  const url = new URL(request.url);
  const jzb =
    url.searchParams.get("jzb") ?? (JSON.parse(request.init.body ?? "{}") as { events: string }).events;
  return JSON.parse(inflateSync(Buffer.from(jzb, "base64url")).toString("utf8"));
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("dist/pendo.js", () => {
  it(`stays within the size budget of ${budgetBytes} bytes gzipped`, () => {
    const gzipped = gzipSync(bundle, { level: 9 }).length;
    console.log(
      `dist/pendo.js: ${bundle.length} bytes minified, ${gzipped} bytes gzipped (budget ${budgetBytes})`,
    );
    assert.ok(gzipped <= budgetBytes, `${gzipped} bytes gzipped`);
  });

  it("contains __CAIRN_AGENT_CONFIG__ exactly once and nothing that loads other code", () => {
    assert.equal(bundle.split("__CAIRN_AGENT_CONFIG__").length - 1, 1);
    assert.equal(/\brequire\(/.test(bundle), false, "require(");
    assert.equal(/\bimport[\s(]/.test(bundle), false, "import");
  });

  it("runs behind the snippet: replays its queue, sends identify/meta/load, track, clicks and SPA loads", async () => {
    const browser = fakeBrowser("http://shop.test/home?token=abc");
    const run = (code: string): unknown => runInContext(code, browser.context);
    run(snippetStub);
    run(`pendo.track('Signed Up', {plan: 'pro'});
      pendo.initialize({visitor: {id: 'v1', email: 'a@b.c'}, account: {id: 'acme'},
        sanitizeUrl: function (url) { return url.replace(/token=[^&]*/, 'token=*'); }});`);
    run(renderAgent(bundle, config));
    const pendo = run("pendo") as CairnAgent;
    assert.equal(pendo.isReady(), true);
    assert.equal(pendo.getVisitorId(), "v1");
    await settle();

    const guideRequests = browser.requests.filter((r) => r.url.includes("/data/guide.json/"));
    assert.equal(
      guideRequests.length,
      1,
      "one guide.json request for initialize, identify and the page load",
    );
    assert.match(
      guideRequests[0]?.url ?? "",
      /^http:\/\/cairn\.test\/data\/guide\.json\/app-key\?id=1&jzb=[\w-]+&v=0\.1\.0&ct=\d+$/,
    );
    const guideQuery = new URL(guideRequests[0]?.url ?? "").searchParams.get("jzb") ?? "";
    assert.deepEqual(JSON.parse(inflateSync(Buffer.from(guideQuery, "base64url")).toString("utf8")), {
      visitorId: "v1",
      accountId: "acme",
      url: "http://shop.test/home?token=*",
      metadata: { visitor: { email: "a@b.c", id: "v1" }, account: { id: "acme" } },
    });
    browser.requests.splice(
      0,
      browser.requests.length,
      ...browser.requests.filter((r) => !guideRequests.includes(r)),
    );
    const [first, track] = browser.requests;
    assert.ok(first && track, "two requests after initialize");
    assert.match(first.url, /^http:\/\/cairn\.test\/data\/ptm\.gif\/app-key\?v=0\.1\.0&ct=\d+&jzb=[\w-]+$/);
    assert.equal(first.init.keepalive, true);
    const events = decode(first);
    assert.deepEqual(
      events.map((e) => e.type),
      ["identify", "meta", "load"],
    );
    const [identify, meta, load] = events;
    assert.deepEqual(identify?.props, { old_account_id: null, visitor_id: "v1", account_id: "acme" });
    assert.deepEqual((meta?.props as { visitor?: unknown } | undefined)?.visitor, {
      email: "a@b.c",
      id: "v1",
      language: "en_US",
    });
    assert.deepEqual(load?.props, { load_time: 220.5 });
    for (const [i, event] of events.entries()) {
      assert.equal(event.url, "http://shop.test/home?token=*");
      assert.equal(event.visitor_id, "v1");
      assert.equal(event.account_id, "acme");
      assert.equal(event.sequence, i);
      assert.equal(event.parentTabId, null);
      assert.match(String(event.tabId), /^[A-Za-z0-9]{16}$/);
      const { bytes, ...rest } = event;
      assert.equal(bytes, JSON.stringify(rest).length);
    }
    assert.match(track.url, /&type=track$/);
    assert.deepEqual(
      decode(track).map((e) => [e.type, e.track_event_name, e.props]),
      [["track", "Signed Up", { plan: "pro" }]],
    );
    assert.deepEqual(
      JSON.parse(browser.localStorage.values.get("_pendo_visitorId.app-key") ?? "").value,
      "v1",
    );

    const body = el("body");
    const button = el("button", { id: "save", class: "btn" }, "Save");
    body.append(button);
    const click = {
      target: button,
      composedPath: () => [button],
      button: 0,
      altKey: false,
      ctrlKey: false,
      metaKey: false,
      shiftKey: false,
    };
    browser.doc.dispatch("click", click);
    const ignored = el("div", { class: "pendo-ignore" });
    ignored.append(el("button"));
    body.append(ignored);
    browser.doc.dispatch("click", {
      ...click,
      target: ignored.children[0],
      composedPath: () => [ignored.children[0]],
    });
    run("history.pushState({}, '', '/cart')");
    await settle();
    assert.equal(
      browser.requests.filter((r) => r.url.includes("/data/guide.json/app-key?id=2&")).length,
      1,
      "a URL change asks for guides again",
    );
    const afterNavigation = browser.requests
      .slice(2)
      .filter((r) => !r.url.includes("/data/guide.json/"))
      .flatMap(decode);
    assert.deepEqual(
      afterNavigation.map((e) => [e.type, e.url]),
      [
        ["click", "http://shop.test/home?token=*"],
        ["load", "http://shop.test/cart"],
      ],
    );
    const target =
      (afterNavigation[0]?.props as { target?: Record<string, unknown> } | undefined)?.target ?? {};
    assert.equal(target.txt, undefined, "excludeAllText is on by default");
    assert.deepEqual(target.flags, ["left"]);
    assert.equal((target.parentElem as { tag: string }).tag, "BODY");

    pendo.track("Left");
    browser.win.dispatch("pagehide");
    assert.match(
      browser.requests.at(-1)?.url ?? "",
      /&type=track$/,
      "page hide sends what is waiting at once",
    );

    const wrapped = browser.history.pushState;
    pendo.teardown();
    assert.notEqual(browser.history.pushState, wrapped, "teardown restores history");
    assert.equal(browser.doc.listeners.get("click")?.length, 0, "teardown removes listeners");
  });

  it("with disablePersistence stores nothing, removes old identity keys and uses an anonymous visitor", async () => {
    const browser = fakeBrowser("http://shop.test/");
    browser.localStorage.setItem(
      "_pendo_visitorId.app-key",
      JSON.stringify({ ttl: Date.now() + 1e6, value: "old" }),
    );
    runInContext(renderAgent(bundle, { ...config, disablePersistence: true }), browser.context);
    const pendo = runInContext("pendo", browser.context) as CairnAgent;
    pendo.initialize({});
    assert.match(pendo.getVisitorId(), /^_PENDO_T_[A-Za-z0-9]{11}$/);
    assert.equal(pendo.isAnonymousVisitor(), true);
    assert.equal(browser.localStorage.values.size, 0);
    assert.equal(browser.sessionStorage.values.size, 0);
    await settle();
    assert.deepEqual(
      decode(browser.requests.find((r) => r.url.includes("/ptm.gif/")) as SentRequest).map((e) => e.type),
      ["meta", "load"],
    );
    pendo.teardown();
  });
});

describe("dist/feedback-panel.js", () => {
  const panelBudgetBytes = 5 * 1024;
  const panel = readFileSync(feedbackPanelBundlePath, "utf8");

  it(`is a bundle of its own, within ${panelBudgetBytes} bytes gzipped`, () => {
    const gzipped = gzipSync(panel, { level: 9 }).length;
    console.log(`dist/feedback-panel.js: ${panel.length} bytes minified, ${gzipped} bytes gzipped`);
    assert.ok(gzipped <= panelBudgetBytes, `${gzipped} bytes gzipped`);
  });

  it("is not in the core agent, which only knows how to load it", () => {
    for (const text of ["Give feedback", "Submit idea", "/votes"]) {
      assert.ok(panel.includes(text), `the panel has ${text}`);
      assert.equal(bundle.includes(text), false, `pendo.js has no ${text}`);
    }
    assert.ok(bundle.includes("feedback-panel.js"));
  });
});

describe("dist/guides.js", () => {
  const guidesBudgetBytes = 10 * 1024;
  const guides = readFileSync(guidesBundlePath, "utf8");

  it(`is a bundle of its own, within ${guidesBudgetBytes} bytes gzipped`, () => {
    const gzipped = gzipSync(guides, { level: 9 }).length;
    console.log(`dist/guides.js: ${guides.length} bytes minified, ${gzipped} bytes gzipped`);
    assert.ok(gzipped <= guidesBudgetBytes, `${gzipped} bytes gzipped`);
  });

  it("is not in the core agent, which only knows how to load it", () => {
    for (const text of ["data-cairn-guide", "guideAdvanced", "targetNotFound"]) {
      assert.ok(guides.includes(text), `the guide bundle has ${text}`);
      assert.equal(bundle.includes(text), false, `pendo.js has no ${text}`);
    }
    assert.ok(bundle.includes("guides.js"));
  });
});
