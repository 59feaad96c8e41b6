import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ensureInstallation } from "../../access/setup/ensure-installation.js";
import { runCli } from "../../start/test-support/run-cli.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { openSqliteStore } from "../../store/metadata/sqlite/open-sqlite-store.js";

test("cairn segments add|list|refresh|rm, from a file of ids (lines or a JSON list), with clear refusals", async () => {
  const cwd = tempDir("cli-segments");
  const cli = (...args: string[]) => runCli(args, { cwd });
  mkdirSync(path.join(cwd, "data"));
  const store = openSqliteStore(path.join(cwd, "data", "metadata.sqlite"));
  await store.migrate();
  await ensureInstallation(store);
  await store.close();

  assert.match((await cli("segments", "list")).stdout, /^No segments yet/);
  writeFileSync(path.join(cwd, "beta.txt"), "user-1\n\n  user-2  \r\nuser-1\n");
  const added = await cli("segments", "add", "Beta users", "--visitors-file", "beta.txt");
  assert.equal(added.code, 0, added.stderr);
  const id = /^Added segment (seg_\w{22}) "Beta users" with 2 visitors\.\n$/.exec(added.stdout)?.[1];
  assert.ok(id, added.stdout);
  writeFileSync(path.join(cwd, "vips.json"), JSON.stringify(["a@b.com", "c@d.com", "e@f.com"]));
  const json = await cli("segments", "add", "VIPs", "--visitors-file", "vips.json", "--json");
  assert.equal(json.code, 0, json.stderr);
  const vips = JSON.parse(json.stdout) as { id: string; visitorCount: number; createdByApi: boolean };
  assert.deepEqual([vips.visitorCount, vips.createdByApi], [3, false]);

  const listed = await cli("segments", "list");
  assert.match(listed.stdout, new RegExp(`${id}\\s+Beta users\\s+2\\s+no`));
  assert.match(listed.stdout, new RegExp(`${vips.id}\\s+VIPs\\s+3\\s+no`));

  writeFileSync(path.join(cwd, "empty.txt"), "\n\n");
  const empty = await cli("segments", "add", "Nobody", "--visitors-file", "empty.txt");
  assert.deepEqual([empty.code, empty.stderr], [1, "cairn: A segment needs at least one visitor.\n"]);
  const missing = await cli("segments", "add", "Nobody", "--visitors-file", "nope.txt");
  assert.deepEqual([missing.code, missing.stderr], [1, "cairn: Cannot read nope.txt: ENOENT.\n"]);
  const noFile = await cli("segments", "add", "Nobody");
  assert.match(noFile.stderr, /required option '--visitors-file <file>' not specified/);

  const refreshed = await cli("segments", "refresh", vips.id);
  assert.equal(refreshed.code, 1);
  assert.match(refreshed.stderr, /is a list of visitor ids, not a rule: there is nothing to refresh/);
  assert.match((await cli("segments", "refresh", "seg_nope")).stderr, /No segment "seg_nope"/);

  const removed = await cli("segments", "rm", id);
  assert.deepEqual([removed.code, removed.stdout], [0, `Removed segment ${id} "Beta users".\n`]);
  const again = await cli("segments", "rm", id);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /No segment/);
  assert.doesNotMatch((await cli("segments", "list")).stdout, /Beta users/);
});
