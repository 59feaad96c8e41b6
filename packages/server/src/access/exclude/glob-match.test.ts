import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { compileGlob, type FindSegment } from "./glob-match.js";

/**
 * The obvious definition, by dynamic programming over (pattern position, value position): `*` takes any run
 * of characters, everything else one equal character. Quadratic, fine on short strings.
 */
function referenceMatch(pattern: string, value: string): boolean {
  let row = new Array<boolean>(value.length + 1).fill(false);
  row[0] = true;
  for (const character of pattern) {
    const next = new Array<boolean>(value.length + 1).fill(false);
    for (let at = 0; at <= value.length; at++) {
      if (character === "*") next[at] = (row[at] ?? false) || (at > 0 && (next[at - 1] ?? false));
      else next[at] = at > 0 && (row[at - 1] ?? false) && value[at - 1] === character;
    }
    row = next;
  }
  return row[value.length] ?? false;
}

// Few letters, so patterns and values often overlap; `*` often, upper case to check case matters.
const letters = fc.constantFrom("a", "b", "A", "-", "*");
const patterns = fc.array(letters, { maxLength: 10 }).map((chars) => chars.join(""));
const values = fc
  .array(fc.constantFrom("a", "b", "A", "-", "*", "\n"), { maxLength: 16 })
  .map((c) => c.join(""));

test("the glob matcher agrees with the reference definition on short strings", () => {
  fc.assert(
    fc.property(patterns, values, (pattern, value) => {
      assert.equal(compileGlob(pattern)(value), referenceMatch(pattern, value), `${pattern} ~ ${value}`);
    }),
    { numRuns: 5_000 },
  );
});

test("a value built to match a pattern matches it", () => {
  fc.assert(
    fc.property(patterns, fc.array(values, { minLength: 11, maxLength: 11 }), (pattern, fillers) => {
      let filler = 0;
      const value = pattern.replace(/\*/g, () => fillers[filler++] ?? "");
      assert.equal(compileGlob(pattern)(value), true, `${pattern} ~ ${value}`);
    }),
  );
});

test("anchors, literals and the empty cases", () => {
  const cases: Array<[string, string, boolean]> = [
    ["*", "", true],
    ["*", "anything\nat all", true],
    ["**", "", true],
    ["a*", "a", true],
    ["a*a", "a", false],
    ["a*a", "aa", true],
    ["*ab*ab", "ab", false],
    ["*ab*ab", "abab", true],
    ["ab*ba", "aba", false],
    ["ab*ba", "abba", true],
    ["x*", "X1", false],
    ["a.b*", "axb", false],
  ];
  for (const [pattern, value, expected] of cases)
    assert.equal(compileGlob(pattern)(value), expected, `${pattern} ~ ${value}`);
});

test("each segment is searched once, each search starting where the previous match ended", () => {
  // An adversarial value for a backtracking matcher: every `foo` is a candidate, `bar` never comes.
  const value = "foo".repeat(300_000);
  const searches: Array<{ from: number; found: number; length: number }> = [];
  const counted: FindSegment = (text, segment, from) => {
    const found = text.indexOf(segment, from);
    searches.push({ from, found, length: segment.length });
    return found;
  };
  for (const pattern of ["*foo*bar", "*foo*bar*", "*o*fo*ob*x", "f*oo*foo*oof*"]) {
    searches.length = 0;
    compileGlob(pattern, counted)(value);
    const middleSegments = pattern.split("*").slice(1, -1).filter(Boolean).length;
    assert.ok(searches.length <= middleSegments, `${pattern}: ${searches.length} searches`);
    for (let i = 1; i < searches.length; i++) {
      const previous = searches[i - 1];
      assert.ok(previous && previous.found >= 0);
      assert.equal(searches[i]?.from, previous.found + previous.length, `${pattern}: no position twice`);
    }
  }
});
