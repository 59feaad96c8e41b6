import assert from "node:assert/strict";
import { once } from "node:events";
import { test } from "node:test";
import { runCli, spawnCli, waitForOutput } from "../../start/test-support/run-cli.js";
import { tempDir } from "../../start/test-support/temp-dir.js";

test("cairn keys create --kind identity prints the app's identity secret once; cairn apps identity sets the requirement", async () => {
  const cwd = tempDir("cli-identity");
  const cli = (...args: string[]) => runCli(args, { cwd });
  const server = spawnCli(["start", "--port", "0", "--log-level", "silent"], { cwd });
  await waitForOutput(server, /<\/script>/);
  server.kill("SIGTERM");
  await once(server, "exit");

  // The only app is taken when --app is left out, as for track secrets.
  const created = await cli("keys", "create", "--kind", "identity", "--description", "shop back end");
  assert.equal(created.code, 0, created.stderr);
  const secret = /\n {2}(cis_[0-9A-Za-z]{66})\n/.exec(created.stdout)?.[1];
  assert.ok(secret, created.stdout);
  assert.match(created.stdout, /only time the key is shown/);
  const list = await cli("keys", "list");
  assert.ok(!list.stdout.includes(secret), "listings never show it");
  assert.match(list.stdout, /identity/);

  const [app] = JSON.parse((await cli("apps", "list", "--json")).stdout) as Array<{
    id: string;
    identity: string;
  }>;
  assert.equal(app?.identity, "off");
  const bad = await cli("apps", "identity", app.id, "sometimes");
  assert.equal(bad.stderr, 'cairn: Say off, panel, panel_and_events, not "sometimes".\n');
  const set = await cli("apps", "identity", app.id, "panel_and_events", "--unsigned-events", "refuse");
  assert.equal(set.code, 0, set.stderr);
  assert.match(
    set.stdout,
    /requires an identity token, and an identified visitor's events without one are dropped/,
  );
  const json = await cli("apps", "identity", app.id, "panel", "--json");
  assert.deepEqual(JSON.parse(json.stdout), { identity: "panel", unsignedEvents: "refuse" });
  assert.match((await cli("apps", "list")).stdout, /\(signed identity: panel\)/);
});
