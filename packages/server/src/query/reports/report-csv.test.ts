import assert from "node:assert/strict";
import { test } from "node:test";
import { rowsAsCsv } from "./report-csv.js";

test("rows as CSV: dotted names for nested fields, RFC 4180 quoting, lists as JSON, missing fields empty", () => {
  const csv = rowsAsCsv([
    { visitorId: "a,b", metadata: { auto: { lastvisit: 1700000000000 } }, tags: ["x", "y"] },
    { visitorId: 'say "hi"', metadata: { auto: { lastvisit: null } }, extra: true },
    { visitorId: "line\nbreak", metadata: {} },
  ]);
  assert.equal(
    csv,
    [
      "visitorId,metadata.auto.lastvisit,tags,extra",
      '"a,b",1700000000000,"[""x"",""y""]",',
      '"say ""hi""",,,true',
      '"line\nbreak",,,',
      "",
    ].join("\r\n"),
  );
});

test("no rows: no lines", () => {
  assert.equal(rowsAsCsv([]), "");
});
