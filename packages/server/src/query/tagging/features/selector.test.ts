import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { elementPath } from "../../../ingest/agent-event.js";
import { CairnError } from "../../../platform/errors/cairn-error.js";
import { matchesAny } from "../shared/regex-match.js";
import { inSharedSubset } from "../shared/regex-text.js";
import { compileSelector } from "./selector.js";

/** An element chain as Pendo's agent serialises a click target (`props.target`), innermost first. */
function chain(...elements: Array<{ tag: string; id?: string; cls?: string }>): unknown {
  let parent: unknown;
  for (const element of [...elements].reverse()) parent = { id: "", cls: "", ...element, parentElem: parent };
  return parent;
}

/** The path the collector stores for that click, built by the ingest code itself. */
function stored(...elements: Array<{ tag: string; id?: string; cls?: string }>): string {
  const path = elementPath(chain(...elements));
  assert.ok(path);
  return path;
}

const signup = stored(
  { tag: "SPAN", cls: "icon" },
  { tag: "BUTTON", id: "signup", cls: "btn btn-primary" },
  { tag: "DIV", id: "toolbar", cls: "toolbar  main" },
  { tag: "BODY" },
);

function matches(selector: string, path: string): boolean {
  return matchesAny(compileSelector(selector), path);
}

describe("CSS selectors compiled to regexes over the stored element path", () => {
  test("the stored path is what the selectors are written against", () => {
    assert.equal(signup, "SPAN.icon < BUTTON#signup.btn.btn-primary < DIV#toolbar.toolbar.main < BODY");
  });

  const cases: Array<[string, boolean]> = [
    ["button#signup", true],
    ["BUTTON", true],
    ["Button.btn", true],
    [".btn-primary.btn", true],
    [".btn.btn-primary", true],
    ["#signup.btn.btn-primary", true],
    [".btn", true],
    [".btn-prim", false],
    [".primary", false],
    ["#sign", false],
    ["a", false],
    ["span#x", false],
    ["*", true],
    ["div > button", true],
    ["div#toolbar > button.btn", true],
    ["body button", true],
    ["body > button", false],
    ["div > span", false],
    ["div span.icon", true],
    ["#toolbar .icon", true],
    [".main.toolbar > #signup > .icon", true],
    ["body > div > button > span", true],
    ["div > * > span", true],
    ["body > * > span", false],
    ["form button", false],
    ["a, .icon", true],
    ["a, form", false],
    ["button > div", false],
  ];
  for (const [selector, expected] of cases) {
    test(`${selector} ${expected ? "matches" : "does not match"} a click on the icon of #signup`, () => {
      assert.equal(matches(selector, signup), expected);
    });
  }

  test("a click on the element itself, on a child, but not on an ancestor or a sibling", () => {
    const onButton = stored({ tag: "BUTTON", id: "save", cls: "primary" }, { tag: "FORM" }, { tag: "BODY" });
    const onIcon = stored(
      { tag: "I", cls: "fa fa-save" },
      { tag: "BUTTON", id: "save", cls: "primary" },
      { tag: "FORM" },
    );
    const onForm = stored({ tag: "FORM" }, { tag: "BODY" });
    const onSibling = stored({ tag: "BUTTON", id: "cancel" }, { tag: "FORM" }, { tag: "BODY" });
    for (const path of [onButton, onIcon]) assert.equal(matches("button#save", path), true, path);
    for (const path of [onForm, onSibling]) assert.equal(matches("button#save", path), false, path);
  });

  test("tags match in any case; ids and classes are case-sensitive; lower-case stored tags match too", () => {
    const lower = "button#save.primary < form < main";
    assert.equal(matches("BUTTON#save", lower), true);
    assert.equal(matches("button#Save", lower), false);
    assert.equal(matches(".Primary", lower), false);
  });

  test("escaped class names (Tailwind) match as stored", () => {
    const path = stored({ tag: "DIV", cls: "md:w-1/2 hover:bg-blue-500" }, { tag: "BODY" });
    assert.equal(matches(".md\\:w-1\\/2", path), true);
    assert.equal(matches(".hover\\:bg-blue-500.md\\:w-1\\/2", path), true);
    assert.equal(matches(".md\\:w-1", path), false);
  });

  test("every regex is anchored and in the RE2/JavaScript subset; a list gives one alternative per selector", () => {
    const compiled = compileSelector("div.a.b.c.d > span, #x");
    assert.equal(compiled.length, 2);
    for (const regexes of compiled) {
      for (const regex of regexes)
        assert.ok(regex.startsWith("^") && regex.endsWith("$") && inSharedSubset(regex), regex);
    }
  });

  const refused: Array<[string, RegExp]> = [
    ["a:hover", /the pseudo-class :hover, which cannot be matched from the stored element path/],
    ["li:nth-child(2)", /the pseudo-class :nth-child/],
    ["p::before", /the pseudo-element ::before/],
    ["[href]", /an attribute selector \(\[href\]\)/],
    ["a[id=x]", /an attribute selector/],
    ['input[type="text"]', /an attribute selector/],
    ["a + b", /next-sibling combinator/],
    ["a ~ b", /subsequent-sibling combinator/],
    ["svg|rect", /a namespace/],
    ["div >", /without an element on both sides/],
    ["#a#b", /two ids/],
    [".a.b.c.d.e", /5 classes of one element; at most 4/],
    ["a b c d e f g h i", /9 elements; at most 8/],
    ["", /is empty/],
    ["div[", /is not a CSS selector/],
  ];
  for (const [selector, message] of refused) {
    test(`refuses ${JSON.stringify(selector)} saying why and what can be matched`, () => {
      assert.throws(
        () => compileSelector(selector),
        (e: unknown) =>
          e instanceof CairnError &&
          e.code === "bad_request" &&
          message.test(e.message) &&
          /tag, #id, \.class/.test(`${e.message} ${e.hint}`),
      );
    });
  }
});

// Generated element chains and selectors taken from them: a selector built from a chain matches it.
const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/);
const element = fc.record({
  tag: fc.constantFrom("DIV", "SPAN", "BUTTON", "A", "LI", "UL", "SECTION"),
  id: fc.option(name, { nil: undefined }),
  cls: fc.uniqueArray(name, { maxLength: 4 }).map((c) => c.join(" ")),
});

describe("selectors, property-tested", () => {
  test("a selector made of some elements of a click's chain (in order, > only between neighbours) matches it", () => {
    fc.assert(
      fc.property(
        fc.array(element, { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
        (elements, keep, shuffle) => {
          const path = stored(...elements);
          // Chosen elements from the outermost in, each written with its tag, id or some classes in any order.
          const picked = elements
            .map((e, i) => ({ e, i }))
            .filter(({ i }) => keep[i] || i === 0)
            .reverse();
          const parts = picked.map(({ e, i }) => {
            const classes = e.cls ? e.cls.split(" ") : [];
            const order = classes
              .map((c, j) => ({ c, k: shuffle[(i + j) % 8] ?? 0 }))
              .sort((a, b) => a.k - b.k);
            return (
              `${(shuffle[i] ?? 0) % 2 ? e.tag.toLowerCase() : ""}${e.id && (shuffle[i] ?? 0) % 3 === 0 ? `#${e.id}` : ""}${order.map((o) => `.${o.c}`).join("")}` ||
              "*"
            );
          });
          let selector = parts[0] ?? "*";
          for (let k = 1; k < picked.length; k++) {
            const neighbours = (picked[k - 1]?.i ?? 0) - (picked[k]?.i ?? 0) === 1;
            selector += neighbours && (shuffle[k] ?? 0) % 2 === 0 ? ` > ${parts[k]}` : ` ${parts[k]}`;
          }
          assert.equal(matches(selector, path), true, `${selector} / ${path}`);
        },
      ),
      { numRuns: 500 },
    );
  });

  test("a class or id the chain does not have never matches", () => {
    fc.assert(
      fc.property(fc.array(element, { minLength: 1, maxLength: 6 }), (elements) => {
        const path = stored(...elements);
        assert.equal(matches(".not-there-Q", path), false);
        assert.equal(matches("#not-there-Q", path), false);
        assert.equal(matches(`${elements[0]?.tag}.not-there-Q`, path), false);
      }),
      { numRuns: 200 },
    );
  });
});
