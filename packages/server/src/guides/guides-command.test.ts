import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ensureInstallation } from "../access/setup/ensure-installation.js";
import { runCli } from "../start/test-support/run-cli.js";
import { tempDir } from "../start/test-support/temp-dir.js";
import { openSqliteStore } from "../store/metadata/sqlite/open-sqlite-store.js";

test("cairn guides add|list|state|reset|rm, with refusals that name the field", async () => {
  const cwd = tempDir("cli-guides");
  const cli = (...args: string[]) => runCli(args, { cwd });
  mkdirSync(path.join(cwd, "data"));
  const store = openSqliteStore(path.join(cwd, "data", "metadata.sqlite"));
  await store.migrate();
  await ensureInstallation(store);
  await store.close();

  assert.match((await cli("guides", "list")).stdout, /^No guides yet/);
  writeFileSync(
    path.join(cwd, "tour.json"),
    JSON.stringify({
      name: "Tour",
      steps: [{ type: "lightbox", content: { blocks: [{ type: "heading", text: "Hi" }] } }],
    }),
  );
  const added = await cli("guides", "add", "tour.json");
  assert.equal(added.code, 0, added.stderr);
  const id = /^Added guide (gde_\w{22}) "Tour" \(draft, 1 steps\)\.\n$/.exec(added.stdout)?.[1];
  assert.ok(id, added.stdout);
  assert.match((await cli("guides", "list")).stdout, new RegExp(`${id}\\s+Tour\\s+draft\\s+auto\\s+1`));

  const published = await cli("guides", "state", id, "public");
  assert.deepEqual([published.code, published.stdout], [0, `Guide ${id} "Tour" is public.\n`]);
  const staged = await cli("guides", "state", id, "staged");
  assert.equal(staged.code, 1);
  assert.match(staged.stderr, /stagedVisitorIds: A staged guide needs at least one staged visitor/);

  const reset = await cli("guides", "reset", "all", "user-1");
  assert.deepEqual([reset.code, reset.stdout], [0, "Reset every guide for visitor user-1.\n"]);
  const resetOne = await cli("guides", "reset", id, "user-1", "--json");
  assert.equal(JSON.parse(resetOne.stdout).guideId, id);

  writeFileSync(
    path.join(cwd, "bad.json"),
    JSON.stringify({
      name: "Bad",
      steps: [
        { type: "lightbox", content: { blocks: [{ type: "image", url: "javascript:alert(1)", alt: "" }] } },
      ],
    }),
  );
  const bad = await cli("guides", "add", "bad.json");
  assert.equal(bad.code, 1);
  assert.match(
    bad.stderr,
    /steps\[0\]\.content\.blocks\[0\]\.url: "javascript:alert\(1\)" is a javascript: URL/,
  );
  writeFileSync(path.join(cwd, "broken.json"), "{");
  assert.match((await cli("guides", "add", "broken.json")).stderr, /broken\.json is not valid JSON/);

  const throttled = await cli("subscription", "update", "--auto-guide-throttle-hours", "6");
  assert.deepEqual(
    [throttled.code, throttled.stdout],
    [0, "A visitor now sees at most one automatic guide per 6 hours.\n"],
  );
  const badHours = await cli("subscription", "update", "--auto-guide-throttle-hours", "-1");
  assert.equal(badHours.code, 1);
  assert.match(badHours.stderr, /--auto-guide-throttle-hours must be a whole number from 0 \(off\) to 720/);

  const removed = await cli("guides", "rm", id);
  assert.deepEqual([removed.code, removed.stdout], [0, `Removed guide ${id} "Tour".\n`]);
  assert.match((await cli("guides", "rm", id)).stderr, /No guide/);
});
