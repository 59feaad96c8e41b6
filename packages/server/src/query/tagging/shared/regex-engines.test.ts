import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { testClickhouseUrl } from "../../../start/test-support/clickhouse-engine.js";
import { tempDir } from "../../../start/test-support/temp-dir.js";
import { openClickhouseEvents } from "../../../store/events/clickhouse/open-clickhouse-events.js";
import { openDuckdbEvents } from "../../../store/events/duckdb/open-duckdb-events.js";
import type { EventQuery } from "../../../store/events/event-query.js";
import type { EventSink } from "../../../store/events/event-sink.js";
import { compileSelector } from "../features/selector.js";
import { compilePageRule } from "../pages/page-rule.js";
import { matchesAll } from "./regex-match.js";

/** Every event engine matches the compiled regexes as JavaScript does; a server engine adds its entry. */
const engines: Array<{
  name: string;
  open: (dir: string) => Promise<{ sink: EventSink; query: EventQuery }>;
}> = [
  { name: "duckdb", open: (dir) => openDuckdbEvents(path.join(dir, "events.duckdb")) },
  { name: "clickhouse", open: () => openClickhouseEvents(testClickhouseUrl("regex")) },
];

const rules = fc.oneof(
  fc.constantFrom(
    "//*/dashboard/*",
    "//*/a/**",
    "https://pendo.io?mobile&language=english",
    "//*.example.com/r/report-*.html",
    "//*/u/~contains:dash",
    "https://d.com/#page1",
    "//*/x?tab=*",
  ),
  fc.stringMatching(/^\/\/[a-z*.]{1,5}\/[a-z*~/?&=#]{0,14}$/),
);
const urls = fc.oneof(
  fc.constantFrom(
    "https://app.example.com/dashboard/42?tab=1#x",
    "https://pendo.io/?language=english&mobile",
    "https://eu.example.com/r/report-1.html",
    "https://d.com/#page1",
  ),
  fc.stringMatching(/^https?:\/\/[a-z.]{1,6}(:[0-9]{2})?\/[a-z/?&=#.~-]{0,20}$/),
);
const selectors = fc.constantFrom(
  "button#save",
  "div > .btn.primary",
  "form button",
  ".a.b, span",
  "*",
  "div#t > * > span.icon",
);
const paths = fc.constantFrom(
  "BUTTON#save.primary.btn < FORM < BODY",
  "SPAN.icon < BUTTON#x.btn < DIV#t.toolbar < BODY",
  "I < BUTTON.btn.primary < DIV < BODY",
  "SPAN.b.a < LI < UL",
  "button#save < form < main",
);

for (const engine of engines) {
  test(`${engine.name} matches the compiled page rules and selectors exactly as JavaScript does`, async () => {
    const { sink, query } = await engine.open(tempDir(`regex-${engine.name}`));
    try {
      const pairs: Array<{ regex: string; text: string }> = [];
      fc.assert(
        fc.property(rules, urls, (rule, url) => {
          try {
            for (const regex of compilePageRule(rule)) pairs.push({ regex, text: url });
          } catch {
            // Refused rules have no regex to compare.
          }
        }),
        { numRuns: 300, seed: 42 },
      );
      fc.assert(
        fc.property(selectors, paths, (selector, text) => {
          for (const [regex] of compileSelector(selector)) if (regex) pairs.push({ regex, text });
        }),
        { numRuns: 100, seed: 42 },
      );
      const { dialect } = query;
      let agreedMatches = 0;
      for (const { regex, text } of pairs) {
        const [row] = await query.run<{ m: boolean }>({
          engine: dialect.engine,
          sql: `SELECT CAST(${dialect.regexMatches(dialect.param("text"), dialect.param("regex"))} AS BOOLEAN) AS m`,
          params: { text, regex },
        });
        assert.equal(row?.m, matchesAll([regex], text), `${regex} on ${text}`);
        if (row?.m) agreedMatches++;
      }
      // Both outcomes were compared, not only non-matches.
      assert.ok(
        agreedMatches > 20 && agreedMatches < pairs.length - 20,
        `${agreedMatches} of ${pairs.length}`,
      );
    } finally {
      await sink.close();
    }
  });
}
