/** `npm run bench`: runs every benchmark and prints Markdown ready for bench/RESULTS.md. */
import { agentSize } from "./agent-size.js";
import { aggregation } from "./aggregation.js";
import { coldStart } from "./cold-start.js";
import { collector } from "./collector.js";
import { dashboard } from "./dashboard.js";
import { guideJson } from "./guide-json.js";
import { keyCheck } from "./key-check.js";
import { profileSync } from "./profile-sync.js";
import { scale } from "./scale.js";
import { sharedCounts } from "./shared-counts.js";
import { visitorRead } from "./visitor-read.js";

const benchmarks: Record<string, () => Promise<string>> = {
  "cold-start": coldStart,
  "key-check": keyCheck,
  "visitor-read": visitorRead,
  collector,
  "agent-size": agentSize,
  "profile-sync": profileSync,
  aggregation,
  dashboard,
  "guide-json": guideJson,
  scale,
  "shared-counts": sharedCounts,
};
const only = process.argv.slice(2);

for (const [name, run] of Object.entries(benchmarks)) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stderr.write(`running ${name}…\n`);
  process.stdout.write(`${await run()}\n\n`);
}
