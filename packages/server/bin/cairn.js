#!/usr/bin/env node
// The `cairn` command: runs the compiled CLI, or says how to build it (npm links bins before any build).
import { existsSync } from "node:fs";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write(
    "cairn: not built yet: run `npm run build` (or `npm start`) in the repository first\n",
  );
  process.exit(2);
}
await import(main.href);
