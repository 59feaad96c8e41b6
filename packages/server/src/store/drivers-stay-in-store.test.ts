import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const src = fileURLToPath(new URL("..", import.meta.url));
const drivers =
  /from "(better-sqlite3|@duckdb\/node-api|pg|@clickhouse\/[\w-]+)"|import\("(better-sqlite3|@duckdb\/node-api)"\)/;

test("no file outside store/ imports a database driver", () => {
  const files = readdirSync(src, { recursive: true, encoding: "utf8" }).filter((file) =>
    file.endsWith(".ts"),
  );
  assert.ok(files.length > 100, "the sources were found");
  const outside = files.filter(
    (file) =>
      !file.startsWith(`store${path.sep}`) && drivers.test(readFileSync(path.join(src, file), "utf8")),
  );
  assert.deepEqual(outside, []);
});
