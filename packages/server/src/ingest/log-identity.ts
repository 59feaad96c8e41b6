import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The name under which the stores keep this ingest log's checkpoint (and ClickHouse its deduplication tokens): a
 * random id made on first use and kept in the log's folder, so two servers sharing stores never share one, even
 * with the same data folder path on different machines, and a data folder moved elsewhere keeps its name. A copy
 * of a data folder carries its id: two servers must not start from copies of one folder.
 */
export function sharedLogName(logDir: string): string {
  const file = path.join(logDir, "log-id");
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(logDir, { recursive: true });
  const id = `log-${randomUUID()}`;
  // `wx`: of two processes racing on one folder, the second reads the first's id.
  try {
    writeFileSync(file, `${id}\n`, { flag: "wx" });
    return id;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return readFileSync(file, "utf8").trim();
  }
}
