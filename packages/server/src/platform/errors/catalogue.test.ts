import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { errorCatalogue } from "./catalogue.js";

const doc = readFileSync(new URL("../../../../../docs/errors.md", import.meta.url), "utf8");

test("every error code has its row in docs/errors.md, with the same status", () => {
  for (const [code, entry] of Object.entries(errorCatalogue)) {
    const row = new RegExp(`^\\| \`${code}\`\\s*\\| ${entry.status}\\s*\\|`, "m");
    assert.match(doc, row, `docs/errors.md needs a row for ${code} (${entry.status})`);
  }
});

test("docs/errors.md lists no code the catalogue lacks", () => {
  const documented = [...doc.matchAll(/^\| `([a-z_]+)`\s*\|/gm)].map((m) => m[1]);
  assert.deepEqual(
    documented.filter((code) => !(code && code in errorCatalogue)),
    [],
  );
});
