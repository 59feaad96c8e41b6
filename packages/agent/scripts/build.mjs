// Bundles src/main.ts into dist/pendo.js (minified IIFE, what Cairn serves) and dist/pendo.dev.js.
import { build } from "esbuild";

const common = {
  entryPoints: [new URL("../src/main.ts", import.meta.url).pathname],
  bundle: true,
  format: "iife",
  target: "es2019",
  platform: "browser",
  legalComments: "none",
  logLevel: "warning",
};

await build({ ...common, minify: true, outfile: new URL("../dist/pendo.js", import.meta.url).pathname });
await build({ ...common, minify: false, outfile: new URL("../dist/pendo.dev.js", import.meta.url).pathname });
