// The ClickHouse suites run the ClickHouse engine in the test process, from the chdb package: ~550 MB, so it
// is not a dependency (a newcomer's `npm ci` stays small) and is installed here, once, when missing.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const chdb = "chdb@3.4.0";
const require = createRequire(import.meta.url);
try {
  require.resolve("chdb/connection");
} catch {
  console.log(
    `== installing ${chdb} (ClickHouse in-process, ~550 MB, left out of npm ci) for the ClickHouse suites`,
  );
  execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", chdb], { stdio: "inherit" });
}
