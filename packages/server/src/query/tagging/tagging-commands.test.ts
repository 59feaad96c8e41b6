import assert from "node:assert/strict";
import { once } from "node:events";
import path from "node:path";
import { test } from "node:test";
import { createApp } from "../../access/apps/app-service.js";
import { loadEvents } from "../../start/test-support/load-events.js";
import { runCli, spawnCli, waitForOutput } from "../../start/test-support/run-cli.js";
import { sampleEvent } from "../../start/test-support/sample-events.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { openDuckdbEvents } from "../../store/events/duckdb/open-duckdb-events.js";
import { openSqliteStore } from "../../store/metadata/sqlite/open-sqlite-store.js";

test("cairn pages, features and track-types: add, list, rm, with clear refusals; track types from the events", async () => {
  const cwd = tempDir("cli-tagging");
  const cli = (...args: string[]) => runCli(args, { cwd });

  const none = await cli("pages", "list");
  assert.equal(none.code, 1);
  assert.equal(none.stderr, "cairn: No subscription yet: run `cairn start` once first.\n");

  const server = spawnCli(["start", "--port", "0", "--log-level", "silent"], { cwd });
  try {
    await waitForOutput(server, /<\/script>/);
    assert.match((await cli("pages", "list")).stdout, /^No pages yet/);

    const added = await cli(
      "pages",
      "add",
      "Dashboard",
      "--rule",
      "//*/dashboard/*",
      "--rule",
      "/home",
      "--exclude-rule",
      "//*/dashboard/admin",
    );
    assert.equal(added.code, 0, added.stderr);
    const pageId =
      /^Added page (page_\w{22}) "Dashboard" \(app app_\w+\): \/\/\*\/dashboard\/\* {2}\/home {2}not \/\/\*\/dashboard\/admin\.\n$/.exec(
        added.stdout,
      )?.[1];
    assert.ok(pageId, added.stdout);

    const badRule = await cli("pages", "add", "Bad", "--rule", "//*/a/**/b");
    assert.equal(badRule.code, 1);
    assert.match(badRule.stderr, /^cairn: The page rule "\/\/\*\/a\/\*\*\/b" has "\/b" after "\*\*"/);
    const noRule = await cli("pages", "add", "Bad");
    assert.notEqual(noRule.code, 0);
    assert.match(noRule.stderr, /required option '--rule <rule>' not specified/);
    const duplicate = await cli("pages", "add", "Dashboard", "--rule", "/x");
    assert.equal(duplicate.stderr, `cairn: This app already has a page named "Dashboard" (${pageId}).\n`);

    const feature = await cli(
      "features",
      "add",
      "Save",
      "--selector",
      "button#save",
      "--selector",
      ".toolbar > .btn",
      "--page",
      pageId,
      "--json",
    );
    assert.equal(feature.code, 0, feature.stderr);
    const saved = JSON.parse(feature.stdout) as {
      id: string;
      pageId: string;
      appWide: boolean;
      elementPathRules: string[];
    };
    assert.deepEqual(
      [saved.pageId, saved.appWide, saved.elementPathRules],
      [pageId, false, ["button#save", ".toolbar > .btn"]],
    );
    const hover = await cli("features", "add", "Hover", "--selector", "a:hover");
    assert.equal(hover.code, 1);
    assert.match(
      hover.stderr,
      /uses the pseudo-class :hover, which cannot be matched from the stored element path/,
    );
    const features = await cli("features", "list");
    assert.match(features.stdout, /^ID +APP +NAME +WHERE +SELECTORS\n/);
    assert.match(
      features.stdout,
      new RegExp(`${saved.id} +app_\\w+ +Save +page ${pageId} +button#save  \\.toolbar > \\.btn\\n`),
    );

    const inUse = await cli("pages", "rm", pageId);
    assert.equal(inUse.code, 1);
    assert.match(inUse.stderr, /Features are tagged on page/);
    assert.equal((await cli("features", "rm", saved.id)).stdout, `Removed feature ${saved.id} "Save".\n`);
    assert.equal((await cli("pages", "remove", pageId)).stdout, `Removed page ${pageId} "Dashboard".\n`);
    assert.deepEqual(JSON.parse((await cli("pages", "list", "--json")).stdout), []);

    const trackType = await cli("track-types", "add", "signup");
    assert.match(trackType.stdout, /^Added track type trk_\w{22} "signup" \(app app_\w+\)\.\n$/);
    // The server holds the event store: the list says why it could not look at the events, and lists.
    const whileRunning = await cli("track-types", "list");
    assert.equal(whileRunning.code, 0, whileRunning.stderr);
    assert.match(whileRunning.stderr, /^cairn: note: the event store is open in `cairn start`/);
    assert.match(whileRunning.stdout, /^ID +APP +NAME +EVENT NAME\ntrk_\w+ +app_\w+ +signup +signup\n$/);

    const audit = JSON.parse((await cli("audit", "--target", saved.id, "--json")).stdout) as Array<{
      action: string;
      actor: string;
    }>;
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor]),
      [
        ["feature.deleted", "cli"],
        ["feature.created", "cli"],
      ],
    );
  } finally {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill("SIGTERM");
      await once(server, "exit");
    }
  }

  // With the server stopped, the CLI opens the event store itself and adds the track types of its events.
  const metadata = openSqliteStore(path.join(cwd, "data", "metadata.sqlite"));
  const subscription = await metadata.db
    .selectFrom("subscriptions")
    .select(["id", "default_app_id"])
    .executeTakeFirstOrThrow();
  await createApp(metadata.db, { subscriptionId: subscription.id, name: "Second", actor: "test" });
  await metadata.close();
  const events = await openDuckdbEvents(path.join(cwd, "data", "events.duckdb"));
  await loadEvents(
    events.sink,
    [
      sampleEvent({
        subscriptionId: subscription.id,
        appId: subscription.default_app_id ?? "",
        type: "track",
        trackName: "export_csv",
      }),
    ],
    1_000_000,
  );
  await events.sink.close();
  const listed = await cli("track-types", "list", "--json");
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(listed.stderr, "");
  assert.deepEqual(
    (JSON.parse(listed.stdout) as Array<{ trackTypeName: string }>).map((t) => t.trackTypeName).sort(),
    ["export_csv", "signup"],
  );

  // Two apps now: without --app the command lists them and asks.
  const ambiguous = await cli("track-types", "add", "x");
  assert.equal(ambiguous.code, 1);
  assert.match(
    ambiguous.stderr,
    /^cairn: This subscription has 2 apps: name one with --app <id> \(app_\w+ "[^"]+", app_\w+ "Second"\)\.\n$/,
  );
  const unknownApp = await cli("pages", "add", "P", "--rule", "/p", "--app", "app_nope");
  assert.match(unknownApp.stderr, /No app "app_nope" in this subscription/);
});
