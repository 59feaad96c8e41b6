import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const made: string[] = [];
// Removed when the test process exits, not by a node:test `after` hook: one registered from a `before` hook
// runs as soon as that hook ends, deleting a server's folder while it still runs on it.
process.once("exit", () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder, removed when the test process ends. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `cairn-${label}-`));
  made.push(dir);
  return dir;
}
