import { readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "./package-files.js";

const packageJson = JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as {
  version: string;
};

/** The server package's version, read from its package.json. */
export const cairnVersion: string = packageJson.version;
