import assert from "node:assert/strict";
import { test } from "node:test";
import { inSharedSubset, literal } from "./regex-text.js";

test("inSharedSubset reads escape by escape: an escaped backslash before s is a literal, \\s is refused", () => {
  assert.equal(inSharedSubset(literal("/\\s")), true, "the page rule /\\s: a backslash, then s");
  assert.equal(inSharedSubset("^a\\\\s$"), true);
  assert.equal(inSharedSubset("^a\\s$"), false);
  assert.equal(inSharedSubset("^\\\\\\d$"), false, "an escaped backslash, then \\d");
  assert.equal(inSharedSubset("^(?:a|b)$"), true, "non-capturing groups are shared");
  for (const outside of ["(?=a)", "(?!a)", "(?<=a)", "(?<n>a)", "(?i)a", "(a)\\1", "\\bword", "\\w+"])
    assert.equal(inSharedSubset(outside), false, outside);
});
