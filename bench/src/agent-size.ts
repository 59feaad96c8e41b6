/**
 * The browser agent's weight: Cairn's bundle as the server serves it (minified; gzip level 9 and Brotli as a
 * CDN would send it) beside the browser agents a page would otherwise load, measured from their npm packages
 * in the same run: Pendo's own agent (`@pendo/agent`, the agent whose protocol Cairn speaks) and posthog-js
 * (the snippet-loaded bundle, and the full one with its lazy extensions inlined). Cairn's guide bundle is set
 * beside two product-tour libraries, each minified with its dependencies and its stylesheet, as a page would
 * load them: driver.js and Shepherd.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { agentBundlePath, feedbackPanelBundlePath, guidesBundlePath } from "@cairn/agent/serve";
import { build } from "esbuild";
import { describeMachine } from "./stats.js";

const require = createRequire(import.meta.url);
const budgetBytes = 12 * 1024;
const guidesBudgetBytes = 10 * 1024;

/** A file of an installed package, found from its entry point (some packages do not export package.json). */
function packageFile(pkg: string, file: string): string {
  let dir = path.dirname(require.resolve(pkg));
  while (!existsSync(path.join(dir, "package.json")) || packageName(dir) !== pkg) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json for ${pkg}`);
    dir = parent;
  }
  return path.join(dir, file);
}

function packageName(dir: string): string {
  return (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string }).name ?? "";
}

function sizes(file: string) {
  return sizesOf(readFileSync(file));
}

function sizesOf(bytes: Buffer) {
  return {
    minified: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** A library as a page would load it: its entry bundled and minified with its dependencies, plus its CSS. */
async function librarySizes(importLine: string, use: string, cssFile: string) {
  const result = await build({
    stdin: { contents: `${importLine}\nglobalThis.__keep = ${use};`, resolveDir: process.cwd() },
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2019",
    write: false,
    logLevel: "silent",
  });
  const js = Buffer.from(result.outputFiles[0]?.contents ?? new Uint8Array());
  return sizesOf(Buffer.concat([js, readFileSync(cssFile)]));
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export async function agentSize(): Promise<string> {
  const version = (pkg: string) =>
    (JSON.parse(readFileSync(packageFile(pkg, "package.json"), "utf8")) as { version: string }).version;
  const cairn = sizes(agentBundlePath);
  const panel = sizes(feedbackPanelBundlePath);
  const guides = sizes(guidesBundlePath);
  const driver = await librarySizes(
    'import { driver } from "driver.js";',
    "driver",
    packageFile("driver.js", "dist/driver.css"),
  );
  const shepherd = await librarySizes(
    'import Shepherd from "shepherd.js";',
    "Shepherd",
    packageFile("shepherd.js", "dist/css/shepherd.css"),
  );
  const lazy = new Set([panel, guides, driver, shepherd]);
  const rows = [
    ["Cairn agent (`packages/agent/dist/pendo.js`)", cairn],
    ["Cairn feedback panel (`dist/feedback-panel.js`, loaded on first open)", panel],
    ["Cairn guides (`dist/guides.js`, loaded when guide.json answers a guide; styles included)", guides],
    [`driver.js ${version("driver.js")} (bundled, minified, with \`driver.css\`)`, driver],
    [
      `Shepherd ${version("shepherd.js")} (bundled with its dependencies, minified, with \`shepherd.css\`)`,
      shepherd,
    ],
    [
      `Pendo agent ${version("@pendo/agent")} (\`pendo.module.min.js\`)`,
      sizes(packageFile("@pendo/agent", "dist/pendo.module.min.js")),
    ],
    [
      `posthog-js ${version("posthog-js")} (\`dist/array.js\`, the snippet's bundle)`,
      sizes(packageFile("posthog-js", "dist/array.js")),
    ],
    [
      `posthog-js ${version("posthog-js")} (\`dist/array.full.js\`)`,
      sizes(packageFile("posthog-js", "dist/array.full.js")),
    ],
  ] as const;
  const lines = [
    `### Agent bundle size (${describeMachine()})`,
    "",
    "| Bundle | Minified | gzip -9 | Brotli 11 | Cairn's gzip as a share |",
    "|---|---|---|---|---|",
    ...rows.map(
      ([name, s]) =>
        `| ${name} | ${kb(s.minified)} | ${kb(s.gzip)} | ${kb(s.brotli)} | ${lazy.has(s) ? "—" : `${((cairn.gzip / s.gzip) * 100).toFixed(1)}%`} |`,
    ),
    "",
    `Budget: ≤ ${kb(budgetBytes)} gzipped; Cairn's agent is ${kb(cairn.gzip)} (${cairn.gzip <= budgetBytes ? "within" : "OVER"} budget). With the feedback panel opened, a page has loaded ${kb(cairn.gzip + panel.gzip)}.`,
    `Guides: ≤ ${kb(guidesBudgetBytes)} gzipped; Cairn's guide bundle is ${kb(guides.gzip)} (${guides.gzip <= guidesBudgetBytes ? "within" : "OVER"} budget), ${((guides.gzip / driver.gzip) * 100).toFixed(0)}% of driver.js and ${((guides.gzip / shepherd.gzip) * 100).toFixed(0)}% of Shepherd; a page showing a guide has loaded ${kb(cairn.gzip + guides.gzip)}.`,
  ];
  return lines.join("\n");
}
