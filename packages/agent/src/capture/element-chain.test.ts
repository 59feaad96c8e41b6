import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { el } from "../test-support/fake-dom.js";
import { type ChainOptions, clickFlags, elementChain } from "./element-chain.js";

const defaults: ChainOptions = {
  excludeAllText: true,
  allowedText: [],
  htmlAttributes: /^(tabindex)$/i,
  sanitizeUrl: (url) => url,
};

/** The page of the captured click in agent-wire.md §5.4. */
function page() {
  const button = el(
    "button",
    { id: "signup", class: "btn btn-primary", title: "Create account", name: "signup" },
    " Sign   up ",
  );
  const toolbar = el("div", { id: "toolbar", class: "toolbar main" });
  toolbar.append("\n", button);
  const body = el("body");
  body.append("\n", el("header"), "\n", toolbar);
  const html = el("html");
  html.append(el("head"), "\n", body);
  return { button, toolbar, body };
}

describe("elementChain", () => {
  it("builds the chain up to BODY in the captured shape", () => {
    const { button } = page();
    assert.deepEqual(elementChain(button, defaults), {
      tag: "BUTTON",
      id: "signup",
      cls: "btn btn-primary",
      title: "Create account",
      attrs: { name: "signup" },
      myIndex: 1,
      childIndex: 0,
      parentElem: {
        tag: "DIV",
        id: "toolbar",
        cls: "toolbar main",
        title: null,
        attrs: {},
        myIndex: 3,
        childIndex: 1,
        parentElem: { tag: "BODY", id: "", cls: "", title: null, attrs: {}, myIndex: 2, childIndex: 1 },
      },
    });
  });

  it("sends no text while excludeAllText is on, unless the trimmed text is in allowedText", () => {
    const { button } = page();
    assert.equal(elementChain(button, defaults)?.txt, undefined);
    assert.equal(elementChain(button, { ...defaults, allowedText: ["Sign up"] })?.txt, "Sign up");
    assert.equal(elementChain(button, { ...defaults, allowedText: ["Sign"] })?.txt, undefined);
  });

  it("sends the leaf's text (collapsed, at most 128 characters) when excludeAllText is off, and only on the leaf", () => {
    const { button, toolbar } = page();
    const chain = elementChain(button, { ...defaults, excludeAllText: false });
    assert.equal(chain?.txt, "Sign up");
    assert.equal(chain?.parentElem?.txt, undefined);
    toolbar.append(el("span", {}, "x".repeat(300)));
    assert.equal(
      elementChain(toolbar.children[1] as never, { ...defaults, excludeAllText: false })?.txt?.length,
      128,
    );
  });

  it("reports nothing inside pendo-ignore or pendo-analytics-ignore", () => {
    for (const cls of ["pendo-ignore", "card pendo-analytics-ignore"]) {
      const { button, toolbar } = page();
      const ignored = el("div", { class: cls });
      ignored.append(button);
      toolbar.append(ignored);
      assert.equal(elementChain(button, defaults), null, cls);
    }
    assert.notEqual(elementChain(el("div", { class: "pendo-ignored" }), defaults), null);
  });

  it("keeps allow-listed attributes only, sanitizes URLs and caps values at 256 characters", () => {
    const link = el("a", {
      href: "https://app.example/p?token=secret",
      "data-x": "1",
      tabindex: "0",
      onclick: "x()",
    });
    const input = el("input", {
      name: "email",
      type: "email",
      value: "ada@example.com",
      placeholder: "p".repeat(300),
    });
    const sanitizeUrl = (url: string): string => url.replace(/token=[^&]*/, "token=*");
    assert.deepEqual(elementChain(link, { ...defaults, sanitizeUrl })?.attrs, {
      href: "https://app.example/p?token=*",
      tabindex: "0",
    });
    const attrs = elementChain(input, defaults)?.attrs;
    assert.equal(attrs?.value, undefined, "what the user typed is never sent");
    assert.equal(attrs?.placeholder?.length, 256);
    assert.deepEqual(
      elementChain(el("div", { role: "button", tabindex: "1" }), { ...defaults, htmlAttributes: /^role$/ })
        ?.attrs,
      {
        role: "button",
      },
    );
  });

  it("passes from a shadow root to its host", () => {
    const host = el("my-widget", { id: "w" });
    const body = el("body");
    body.append(host);
    const inner = el("button", { id: "inner" });
    const shadowRoot = {
      nodeType: 11,
      nodeName: "#document-fragment",
      childNodes: [inner],
      children: [inner],
      host,
    };
    inner.parentNode = shadowRoot;
    const chain = elementChain(inner, defaults);
    assert.equal(chain?.parentElem?.tag, "#shadow-root");
    assert.equal(chain?.parentElem?.parentElem?.tag, "MY-WIDGET");
    assert.equal(chain?.parentElem?.parentElem?.parentElem?.tag, "BODY");
  });
});

describe("clickFlags", () => {
  it("names the button, then the modifier keys", () => {
    const none = { altKey: false, ctrlKey: false, metaKey: false, shiftKey: false };
    assert.deepEqual(clickFlags({ ...none, button: 0 }), ["left"]);
    assert.deepEqual(clickFlags({ ...none, button: 1 }), ["middle"]);
    assert.deepEqual(clickFlags({ ...none, button: 2, altKey: true, shiftKey: true }), [
      "right",
      "altKey",
      "shiftKey",
    ]);
  });
});
