import assert from "node:assert/strict";
import { test } from "node:test";
import { createFeedbackLauncher } from "./feedback-launcher.js";
import type { PanelHost, PanelUser } from "./panel-contract.js";

/** Just enough DOM for the launcher: elements that record children, attributes and listeners. */
function fakeDocument() {
  const scripts: Array<{ src: string; onerror: (() => void) | null }> = [];
  type FakeElement = {
    tag: string;
    hidden: boolean;
    children: unknown[];
    shadow?: FakeElement;
    [other: string]: unknown;
  };
  const make = (tag: string): FakeElement => {
    const element: FakeElement = {
      tag,
      hidden: false,
      children: [] as unknown[],
      setAttribute() {},
      append(...nodes: unknown[]) {
        element.children.push(...nodes);
      },
      appendChild(node: { tag?: string }) {
        element.children.push(node);
        if (node.tag === "script") scripts.push(node as unknown as (typeof scripts)[number]);
      },
      addEventListener() {},
      attachShadow: () => {
        element.shadow = make("#shadow");
        return element.shadow;
      },
      remove() {},
    };
    return element;
  };
  const body = make("body");
  const head = make("head");
  const doc = { body, head, createElement: make };
  return { doc: doc as unknown as Document, body, scripts };
}

function setup(initial: { enabled: boolean; user: PanelUser | null; token?: string | null }) {
  const state = { token: null, ...initial };
  const fake = fakeDocument();
  const launcher = createFeedbackLauncher({
    doc: fake.doc,
    enabled: () => state.enabled,
    scriptUrl: () => "http://cairn.test/agent/static/key/feedback-panel.js",
    endpoint: () => "http://cairn.test/data/feedback/key",
    user: () => state.user,
    token: () => state.token,
  });
  return { state, launcher, ...fake };
}

test("nothing is drawn or loaded while the app does not offer the panel", () => {
  const { launcher, body, scripts } = setup({ enabled: false, user: { id: "v1" } });
  launcher.update();
  launcher.api.open();
  assert.equal(body.children.length, 0);
  assert.equal(scripts.length, 0);
});

test("an anonymous visitor gets no button and no panel", () => {
  const { launcher, body, scripts } = setup({ enabled: true, user: null });
  launcher.update();
  launcher.api.open();
  assert.equal(body.children.length, 0);
  assert.equal(scripts.length, 0);
});

test("the panel's bundle is fetched on the first open only, then mounted and opened with the page's visitor", () => {
  const { state, launcher, body, scripts } = setup({ enabled: true, user: { id: "v1" } });
  launcher.update();
  assert.equal(body.children.length, 1, "the button's host");
  assert.equal(scripts.length, 0, "not loaded before it is opened");
  launcher.api.open();
  launcher.api.open();
  assert.deepEqual(
    scripts.map((s) => s.src),
    ["http://cairn.test/agent/static/key/feedback-panel.js"],
  );

  let host: PanelHost | undefined;
  let opened = 0;
  launcher.api._panelLoaded((given) => {
    host = given;
    return { open: () => void opened++, close() {}, isOpen: () => opened > 0 };
  });
  assert.equal(opened, 1, "opened once loaded, as asked");
  assert.equal(host?.endpoint, "http://cairn.test/data/feedback/key");
  state.user = { id: "v2", email: "b@c.d" };
  assert.deepEqual(host?.user(), { id: "v2", email: "b@c.d" }, "the visitor of the moment");
  assert.equal(host?.token(), null);
  state.token = "h.p.s";
  assert.equal(host?.token(), "h.p.s", "the page's identity token of the moment");
  launcher.api.open();
  assert.equal(opened, 2);
  assert.equal(scripts.length, 1, "never fetched twice");
});

test("a failed load can be retried; the button hides when the visitor becomes anonymous", () => {
  const { state, launcher, body, scripts } = setup({ enabled: true, user: { id: "v1" } });
  launcher.update();
  launcher.api.open();
  scripts[0]?.onerror?.();
  launcher.api.open();
  assert.equal(scripts.length, 2);
  state.user = null;
  launcher.update();
  const hostElement = body.children[0] as { shadow: { children: Array<{ hidden: boolean }> } };
  const button = hostElement.shadow.children[1];
  assert.equal(button?.hidden, true);
});
