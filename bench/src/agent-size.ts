/**
 * The browser agent's weight: Cairn's bundle as the server serves it (minified; gzip level 9 and Brotli as a
 * CDN would send it) beside the browser agents a page would otherwise load, measured from their npm packages
 * in the same run: Pendo's own agent (`@pendo/agent`, the agent whose protocol Cairn speaks) and posthog-js
 * (the snippet-loaded bundle, and the full one with its lazy extensions inlined).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { agentBundlePath, feedbackPanelBundlePath } from "@cairn/agent/serve";
import { describeMachine } from "./stats.js";

const require = createRequire(import.meta.url);
const budgetBytes = 12 * 1024;

function packageFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

function sizes(file: string) {
  const bytes = readFileSync(file);
  return {
    minified: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export async function agentSize(): Promise<string> {
  const version = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version;
  const cairn = sizes(agentBundlePath);
  const panel = sizes(feedbackPanelBundlePath);
  const rows = [
    ["Cairn agent (`packages/agent/dist/pendo.js`)", cairn],
    ["Cairn feedback panel (`dist/feedback-panel.js`, loaded on first open)", panel],
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
        `| ${name} | ${kb(s.minified)} | ${kb(s.gzip)} | ${kb(s.brotli)} | ${s === panel ? "—" : `${((cairn.gzip / s.gzip) * 100).toFixed(1)}%`} |`,
    ),
    "",
    `Budget: ≤ ${kb(budgetBytes)} gzipped; Cairn's agent is ${kb(cairn.gzip)} (${cairn.gzip <= budgetBytes ? "within" : "OVER"} budget). With the feedback panel opened, a page has loaded ${kb(cairn.gzip + panel.gzip)}.`,
  ];
  return lines.join("\n");
}
