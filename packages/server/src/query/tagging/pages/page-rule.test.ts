import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { CairnError } from "../../../platform/errors/cairn-error.js";
import { matchesAll } from "../shared/regex-match.js";
import { inSharedSubset } from "../shared/regex-text.js";
import { compilePageRule, parsedRuleOf } from "./page-rule.js";

function matches(rule: string, url: string): boolean {
  return matchesAll(compilePageRule(rule), url);
}

/** Each rule with URLs it must match and URLs it must not. */
const examples: Array<{ rule: string; yes: string[]; no: string[] }> = [
  {
    // Pendo's examples (pendo-api.md §3.6, KB "Understanding URLs for page tagging").
    rule: "https://www.pendo.io/features/platform/index.html",
    yes: [
      "https://www.pendo.io/features/platform/index.html",
      "https://WWW.Pendo.IO/features/platform/index.html?utm=1#top",
      "https://www.pendo.io:443/features/platform/index.html/",
    ],
    no: [
      "https://www.pendo.io/features/platform/index.htm",
      "http://www.pendo.io/features/platform/index.html",
      "https://www.pendo.io/Features/platform/index.html",
      "https://pendo.io/features/platform/index.html",
      "https://www.pendo.io.evil.com/features/platform/index.html",
    ],
  },
  {
    rule: "https://www.pendo.io/features/*",
    yes: [
      "https://www.pendo.io/features/platform",
      "https://www.pendo.io/features/",
      "https://www.pendo.io/features/x?y=1",
    ],
    no: [
      "https://www.pendo.io/features/platform/index.html",
      "https://www.pendo.io/feature",
      "https://www.pendo.io/features",
    ],
  },
  {
    rule: "https://www.pendo.io/features/platform/index.html/*/*",
    yes: ["https://www.pendo.io/features/platform/index.html/users/42"],
    no: [
      "https://www.pendo.io/features/platform/index.html/users",
      "https://www.pendo.io/features/platform/index.html/a/b/c",
    ],
  },
  {
    rule: "https://www.pendo.io/features/platform/index.html/users/**",
    yes: [
      "https://www.pendo.io/features/platform/index.html/users",
      "https://www.pendo.io/features/platform/index.html/users/",
      "https://www.pendo.io/features/platform/index.html/users/42/edit?tab=1#x",
      "https://www.pendo.io/features/platform/index.html/users?page=2",
    ],
    no: [
      "https://www.pendo.io/features/platform/index.html/usersx",
      "https://www.pendo.io/features/platform/index.html",
    ],
  },
  {
    rule: "https://www.pendo.io/features/platform/index.html/users/~contains:dashboard",
    yes: [
      "https://www.pendo.io/features/platform/index.html/users/dashboard",
      "https://www.pendo.io/features/platform/index.html/users/team-dashboard-7/edit?x=1",
    ],
    no: [
      "https://www.pendo.io/features/platform/index.html/users/team",
      "https://www.pendo.io/features/platform/index.html/users/team?view=dashboard",
      "https://www.pendo.io/features/platform/index.html/users/team#dashboard",
    ],
  },
  {
    rule: "https://domain.com/#page1",
    yes: ["https://domain.com/#page1", "https://domain.com#page1", "https://domain.com/?a=1#page1"],
    no: ["https://domain.com/#page2", "https://domain.com/", "https://domain.com/#page10"],
  },
  {
    rule: "//*",
    yes: ["https://domain.com/#page1", "https://domain.com/#page2", "http://localhost:3000/"],
    no: ["https://domain.com/x"],
  },
  {
    rule: "https://pendo.io?mobile",
    yes: ["https://pendo.io/?mobile", "https://pendo.io/?a=1&mobile=yes", "https://pendo.io?mobile&b#f"],
    no: [
      "https://pendo.io/?mobiles",
      "https://pendo.io/?x=mobile",
      "https://pendo.io/",
      "https://pendo.io/#?mobile",
    ],
  },
  {
    rule: "https://pendo.io?language=english",
    yes: ["https://pendo.io/?language=english", "https://pendo.io/?a=b&language=english#x"],
    no: [
      "https://pendo.io/?language=englishx",
      "https://pendo.io/?language=French",
      "https://pendo.io/?xlanguage=english",
    ],
  },
  {
    rule: "https://pendo.io?mobile&language=english",
    yes: [
      "https://pendo.io/?mobile&language=english",
      "https://pendo.io/?language=english&mobile",
      "https://pendo.io/?x=1&language=english&y=2&mobile=1",
    ],
    no: [
      "https://pendo.io/?mobile",
      "https://pendo.io/?language=english",
      "https://pendo.io/?mobile&language=en",
    ],
  },
  {
    // The domain defaults to //*; the brief's stored URL.
    rule: "//*/dashboard/*",
    yes: ["https://app.example.com/dashboard/42?tab=1#x", "http://localhost:8080/dashboard/7"],
    no: ["https://app.example.com/dashboard/42/edit", "https://app.example.com/dashboards/42"],
  },
  {
    rule: "/features/*",
    yes: ["https://app.example.com/features/a", "http://x.test/features/b?c"],
    no: ["https://app.example.com/features/a/b", "https://app.example.com/x/features/a"],
  },
  {
    rule: "//*/accounts/*parameter*/settings",
    yes: ["https://app.example.com/accounts/acme/settings", "https://app.example.com/accounts/7/settings/"],
    no: ["https://app.example.com/accounts/a/b/settings", "https://app.example.com/accounts/7/profile"],
  },
  {
    rule: "//*.example.com/reports/report-*.html",
    yes: [
      "https://eu.example.com/reports/report-2024.html",
      "https://a.b.example.com:8443/reports/report-.html",
    ],
    no: ["https://example.org/reports/report-1.html", "https://eu.example.com/reports/summary.html"],
  },
  {
    rule: "//localhost:3000/x?tab=*",
    yes: ["http://localhost:3000/x?tab=", "http://localhost:3000/x?tab=billing&y"],
    no: ["http://localhost:3001/x?tab=billing", "http://localhost:3000/x?tabs=1", "http://localhost:3000/x"],
  },
  {
    rule: "//*/café menu",
    yes: ["https://a.test/caf%C3%A9%20menu"],
    no: ["https://a.test/cafe%20menu"],
  },
];

describe("page rules (Pendo's syntax) compiled to regexes", () => {
  for (const { rule, yes, no } of examples) {
    test(`${rule}`, () => {
      for (const url of yes) assert.equal(matches(rule, url), true, `${rule} should match ${url}`);
      for (const url of no) assert.equal(matches(rule, url), false, `${rule} should not match ${url}`);
    });
  }

  test("every regex is anchored, in the RE2/JavaScript subset, and query conditions are regexes of their own", () => {
    for (const { rule } of examples) {
      const regexes = compilePageRule(rule);
      for (const regex of regexes) {
        assert.ok(regex.startsWith("^") && regex.endsWith("$"), regex);
        assert.ok(inSharedSubset(regex), regex);
      }
    }
    assert.equal(compilePageRule("https://pendo.io?mobile&language=english").length, 3);
    assert.equal(compilePageRule("//*/a").length, 1);
  });

  test("parsedRule joins the regexes as lookaheads JavaScript reads as the same rule", () => {
    const regexes = compilePageRule("//*/x?a&b=1");
    const joined = new RegExp(parsedRuleOf(regexes));
    assert.equal(joined.test("https://h/x?b=1&a"), true);
    assert.equal(joined.test("https://h/x?b=2&a"), false);
    assert.equal(parsedRuleOf(compilePageRule("//*/x")), compilePageRule("//*/x")[0]);
  });

  const invalid: Array<[string, RegExp]> = [
    ["", /is empty/],
    ["   ", /is empty/],
    ["dashboard", /starts with "dashboard"; a rule starts with "\/\/"/],
    ["?mobile", /starts with "\?mobile"/],
    ["//*/a/**/b", /has "\/b" after "\*\*"/],
    ["//*/a**?x=1", /has "\?x=1" after "\*\*"/],
    ["//*/#a*", /wildcard after "#": the fragment "a\*"/],
    ["//*/x?*=1", /query parameter name "\*"/],
    ["//*/x?a&&b", /empty query condition/],
    ["//*/x?=1", /without a parameter name/],
    ["//ex ample.com/x", /the host "ex ample\.com", with a character no host name has \(" "\)/],
    ["///x", /no host after "\/\/"/],
    ["//*/~contains:", /without the text to look for/],
    ["//*/~contains:a*", /takes plain text/],
    ["//*/x?a=~contains:b", /only works in the path/],
    ["//*/a\tb", /control character/],
    [`//*/${"a".repeat(2050)}`, /at most 2048/],
  ];
  for (const [rule, message] of invalid) {
    test(`refuses ${JSON.stringify(rule.slice(0, 30))} with a message that names the part`, () => {
      assert.throws(
        () => compilePageRule(rule),
        (e: unknown) => e instanceof CairnError && e.code === "bad_request" && message.test(e.message),
      );
    });
  }
});

// Generated rules and URLs: literal segments, `*` segments, query conditions in any order.
const word = fc.stringMatching(/^[a-zA-Z0-9._~-]{1,8}$/);
const segment = fc.oneof(
  { weight: 3, arbitrary: word.map((w) => ({ literal: w })) },
  { weight: 1, arbitrary: fc.constant({ literal: null }) },
);
const condition = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/),
  value: fc.option(word, { nil: null }),
});

const generated = fc
  .record({
    segments: fc.array(segment, { minLength: 0, maxLength: 5 }),
    conditions: fc.uniqueArray(condition, { maxLength: 3, selector: (c) => c.name }),
    fills: fc.array(word, { minLength: 5, maxLength: 5 }),
    extra: fc.array(fc.tuple(fc.stringMatching(/^[A-Z][a-z]{0,5}$/), word), { maxLength: 3 }),
    host: fc.constantFrom("app.example.com", "localhost:3000", "a.b.test"),
    fragment: fc.option(word, { nil: null }),
    trailingSlash: fc.boolean(),
    order: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
  })
  .map((g) => {
    const rulePath = g.segments.map((s) => s.literal ?? "*").join("/");
    const query = g.conditions.map((c) => (c.value === null ? c.name : `${c.name}=${c.value}`)).join("&");
    const rule = `//*/${rulePath}${query ? `?${query}` : ""}`;
    const urlPath = g.segments.map((s, i) => s.literal ?? g.fills[i] ?? "x").join("/");
    const params = [
      ...g.conditions.map((c) => (c.value === null ? c.name : `${c.name}=${c.value}`)),
      ...g.extra.map(([n, v]) => `${n}=${v}`),
    ];
    // Shuffled by the generated keys: conditions must hold in any order.
    const shuffled = params
      .map((p, i) => ({ p, k: g.order[i] ?? 0 }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.p);
    const url = `https://${g.host}/${urlPath}${g.trailingSlash && urlPath ? "/" : ""}${shuffled.length ? `?${shuffled.join("&")}` : ""}${g.fragment === null ? "" : `#${g.fragment}`}`;
    return { ...g, rule, url };
  });

describe("page rules, property-tested", () => {
  test("a URL built from a rule (wildcards filled, conditions shuffled among other parameters) matches it", () => {
    fc.assert(
      fc.property(generated, ({ rule, url }) => {
        assert.equal(matches(rule, url), true, `${rule} / ${url}`);
      }),
      { numRuns: 500 },
    );
  });

  test("changing a literal segment of that URL, or dropping a condition, makes it not match", () => {
    fc.assert(
      fc.property(generated, fc.nat(), ({ rule, url, segments, conditions, host }, pick) => {
        const literals = segments.map((s, i) => (s.literal === null ? -1 : i)).filter((i) => i >= 0);
        if (literals.length > 0) {
          const at = literals[pick % literals.length] as number;
          const path = new URL(url).pathname.split("/");
          path[at + 1] = `${path[at + 1]}Z`;
          const changed = `https://${host}${path.join("/")}${new URL(url).search}`;
          assert.equal(matches(rule, changed), false, `${rule} / ${changed}`);
        }
        if (conditions.length > 0) {
          const dropped = conditions[pick % conditions.length]?.name ?? "";
          const parsed = new URL(url);
          const rest = parsed.search
            .slice(1)
            .split("&")
            .filter((p) => p !== dropped && !p.startsWith(`${dropped}=`));
          const without = `${parsed.origin}${parsed.pathname}${rest.length ? `?${rest.join("&")}` : ""}`;
          assert.equal(matches(rule, without), false, `${rule} / ${without}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  test("any text either compiles to anchored regexes in the shared subset or is refused with a 400", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.stringMatching(/^\/\/[a-z*.:]{0,6}\/[a-z*~:?&=#/.]{0,20}$/)),
        (text) => {
          let regexes: string[];
          try {
            regexes = compilePageRule(text);
          } catch (error) {
            assert.ok(error instanceof CairnError && error.code === "bad_request", String(error));
            return;
          }
          for (const regex of regexes) {
            assert.ok(regex.startsWith("^") && regex.endsWith("$") && inSharedSubset(regex), regex);
            new RegExp(regex);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
