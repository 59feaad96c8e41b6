// The budget: the app shell's first load is at most 150 KB of JavaScript gzipped. Measured on the
// built files: every script and module preload `index.html` names (what a first visit downloads before the
// first screen), gzipped. Chunks loaded later (the chart library) are not part of it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { webAppRoot } from "../serve.js";

const budgetBytes = 150 * 1024;

function firstLoadScripts(indexHtml: string): string[] {
  const sources = [...indexHtml.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((match) => match[1] ?? "");
  const preloads = [...indexHtml.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map(
    (match) => match[1] ?? "",
  );
  return [...sources, ...preloads];
}

test("the app shell's first load is at most 150 KB of JavaScript gzipped", () => {
  const indexHtml = readFileSync(`${webAppRoot}index.html`, "utf8");
  const scripts = firstLoadScripts(indexHtml);
  assert.ok(scripts.length > 0, "index.html names no script");
  const sizes = scripts.map((src) => ({
    src,
    gzipped: gzipSync(readFileSync(`${webAppRoot}${src.replace(/^\//, "")}`), { level: 9 }).length,
  }));
  const total = sizes.reduce((sum, { gzipped }) => sum + gzipped, 0);
  console.log(`first-load JavaScript: ${(total / 1024).toFixed(1)} KB gzipped in ${JSON.stringify(sizes)}`);
  assert.ok(total <= budgetBytes, `${total} bytes gzipped is over the budget of ${budgetBytes}`);
});

test("the chart library is not in the first load", () => {
  const indexHtml = readFileSync(`${webAppRoot}index.html`, "utf8");
  for (const src of firstLoadScripts(indexHtml)) {
    const code = readFileSync(`${webAppRoot}${src.replace(/^\//, "")}`, "utf8");
    assert.ok(!code.includes("uplot"), `${src} holds uPlot, which should load with the dashboard`);
  }
});
