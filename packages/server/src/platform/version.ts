import { readFileSync } from "node:fs";

const packageJson = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

/** The server package's version, read from its package.json (same path from `src/` and `dist/`). */
export const cairnVersion: string = packageJson.version;
