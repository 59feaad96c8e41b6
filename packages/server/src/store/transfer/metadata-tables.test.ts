import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { sql } from "kysely";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { openSqliteStore } from "../metadata/sqlite/open-sqlite-store.js";
import { exportedTables, skippedTables } from "./metadata-tables.js";

test("every metadata table is exported or skipped for a stated reason", async () => {
  const store = openSqliteStore(path.join(tempDir("transfer-tables"), "metadata.sqlite"));
  try {
    await store.migrate();
    const { rows } = await sql<{ name: string }>`
      SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(store.db);
    const known = new Set<string>([...exportedTables, ...Object.keys(skippedTables)]);
    const unknown = rows.map((r) => r.name).filter((name) => !known.has(name));
    assert.deepEqual(
      unknown,
      [],
      "a new table: add it to exportedTables (in foreign-key order) or skippedTables",
    );
  } finally {
    await store.close();
  }
});
