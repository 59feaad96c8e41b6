// Where the built web app lives, for the server that serves it at `/`.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const webAppRoot = fileURLToPath(new URL("./dist/", import.meta.url));

export function webAppBuilt() {
  return existsSync(new URL("./dist/index.html", import.meta.url));
}
