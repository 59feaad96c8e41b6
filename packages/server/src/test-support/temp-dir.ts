import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after } from "node:test";

/** A fresh folder removed when the test file ends. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `cairn-${label}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
