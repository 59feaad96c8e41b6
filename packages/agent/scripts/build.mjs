// Bundles the agent (src/main.ts → dist/pendo.js, what Cairn serves, and dist/pendo.dev.js) and the feedback
// panel it loads on first open (src/feedback-panel/main.ts → dist/feedback-panel.js) and the guides it loads
// once guide.json answers one (src/guides/main.ts → dist/guides.js): minified IIFEs.
import { build } from "esbuild";

const common = {
  bundle: true,
  format: "iife",
  target: "es2019",
  platform: "browser",
  legalComments: "none",
  logLevel: "warning",
};
const src = (file) => new URL(`../src/${file}`, import.meta.url).pathname;
const dist = (file) => new URL(`../dist/${file}`, import.meta.url).pathname;

await build({ ...common, entryPoints: [src("main.ts")], minify: true, outfile: dist("pendo.js") });
await build({ ...common, entryPoints: [src("main.ts")], minify: false, outfile: dist("pendo.dev.js") });
await build({
  ...common,
  entryPoints: [src("feedback-panel/main.ts")],
  minify: true,
  outfile: dist("feedback-panel.js"),
});
await build({ ...common, entryPoints: [src("guides/main.ts")], minify: true, outfile: dist("guides.js") });
