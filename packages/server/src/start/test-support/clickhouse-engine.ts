import { tempDir } from "./temp-dir.js";

let folder: string | null = null;
let databases = 0;

/**
 * A fresh, empty ClickHouse database for a test, on the engine running in this process (chdb), as a
 * `chdb:` events URL. chdb binds one data folder per process, so every database of a test process lives in one
 * folder (removed when the process exits); each caller gets a database of its own.
 */
export function testClickhouseUrl(label = "test"): string {
  folder ??= tempDir("chdb");
  databases += 1;
  const name = `cairn_${databases}_${label.replace(/[^a-z0-9]/gi, "_").toLowerCase()}`.slice(0, 60);
  return `chdb:${folder}?database=${name}`;
}
