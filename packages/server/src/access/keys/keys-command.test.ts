import assert from "node:assert/strict";
import { once } from "node:events";
import { test } from "node:test";
import { runCli, spawnCli, waitForOutput } from "../../start/test-support/run-cli.js";
import { tempDir } from "../../start/test-support/temp-dir.js";

test("cairn keys, apps, subscription and audit: a key is printed once and listings never show it", async () => {
  const cwd = tempDir("cli-keys");
  const cli = (...args: string[]) => runCli(args, { cwd });

  const none = await cli("keys", "list");
  assert.equal(none.code, 1);
  assert.equal(none.stderr, "cairn: No subscription yet: run `cairn start` once first.\n");
  const server = spawnCli(["start", "--port", "0", "--log-level", "silent"], { cwd });
  await waitForOutput(server, /<\/script>/);
  server.kill("SIGTERM");
  await once(server, "exit");

  const disabled = await cli("keys", "create", "--kind", "integration", "--description", "ETL");
  assert.equal(disabled.code, 1);
  assert.match(
    disabled.stderr,
    /Integration keys are not enabled for this subscription\. A subscription owner enables them/,
  );
  assert.equal((await cli("subscription", "update", "--integration-keys", "on")).code, 0);

  const badKind = await cli("keys", "create", "--kind", "admin", "--description", "x");
  assert.equal(badKind.stderr, "cairn: --kind must be one of integration, feedback, track, identity.\n");
  const noDescription = await cli("keys", "create", "--kind", "feedback");
  assert.notEqual(noDescription.code, 0);
  assert.match(noDescription.stderr, /required option '--description <text>' not specified/);

  const created = await cli(
    "keys",
    "create",
    "--kind",
    "integration",
    "--description",
    "ETL nightly",
    "--write",
  );
  assert.equal(created.code, 0, created.stderr);
  const key = /\n {2}(cik_[0-9A-Za-z]{42})\n/.exec(created.stdout)?.[1];
  assert.ok(key, created.stdout);
  assert.match(created.stdout, /only time the key is shown/);

  const json = await cli("keys", "create", "--kind", "feedback", "--description", "form", "--json");
  const parsed = JSON.parse(json.stdout) as { key: string; id: string; kind: string; start: string };
  assert.match(parsed.key, /^cfk_[0-9A-Za-z]{42}$/);
  assert.equal(parsed.start, parsed.key.slice(0, 8));

  const apps = JSON.parse((await cli("apps", "list", "--json")).stdout) as Array<{
    id: string;
    isDefault: boolean;
  }>;
  assert.equal(apps.length, 1);
  const track = await cli(
    "keys",
    "create",
    "--kind",
    "track",
    "--description",
    "backend",
    "--app",
    apps[0]?.id ?? "",
  );
  assert.equal(track.code, 0, track.stderr);
  const otherApp = await cli(
    "keys",
    "create",
    "--kind",
    "track",
    "--description",
    "x",
    "--app",
    "app_doesnotexist",
  );
  assert.equal(otherApp.stderr, "cairn: No app app_doesnotexist in this subscription.\n");

  const list = await cli("keys", "list");
  assert.match(list.stdout, /^ID +KIND +START +SCOPE +STATE +LAST USED +DESCRIPTION\n/);
  assert.equal(list.stdout.trim().split("\n").length, 4);
  const listJson = await cli("keys", "list", "--json");
  for (const text of [list.stdout, listJson.stdout]) {
    assert.ok(!text.includes(key) && !text.includes(parsed.key), "no key in a listing");
    assert.ok(text.includes(key.slice(0, 8)), "the start is shown");
  }

  const rolled = await cli("keys", "roll", parsed.id, "--grace", "1h");
  assert.equal(rolled.code, 0, rolled.stderr);
  assert.match(
    rolled.stdout,
    /^Rolled key_\w+ into key_\w+ \(cfk_\w+…, feedback\) "form"; the old key stops working at \S+\.\n/,
  );
  const revoked = await cli("keys", "revoke", parsed.id);
  assert.match(revoked.stdout, /^Revoked /);
  const missing = await cli("keys", "revoke", "key_nope");
  assert.equal(missing.stderr, "cairn: No key key_nope in this subscription.\n");

  const audit = await cli("audit", "--json");
  const actions = (JSON.parse(audit.stdout) as Array<{ action: string }>).map((a) => a.action);
  for (const action of ["key.created", "key.rolled", "key.revoked", "subscription.updated"]) {
    assert.ok(actions.includes(action), `${action} audited`);
  }
  assert.ok(!audit.stdout.includes(key) && !audit.stdout.includes(parsed.key), "no key in the audit log");
});

test("cairn users and cairn apps: add with a one-time link, list, link again, remove; roll an app key, set origins", async () => {
  const cwd = tempDir("cli-users");
  const cli = (...args: string[]) => runCli(args, { cwd });
  const server = spawnCli(["start", "--port", "0", "--log-level", "silent"], { cwd });
  await waitForOutput(server, /<\/script>/);
  server.kill("SIGTERM");
  await once(server, "exit");

  const added = await cli("users", "add", "Ada@Example.com", "--role", "admin", "--integration-key-access");
  assert.equal(added.code, 0, added.stderr);
  assert.match(
    added.stdout,
    /^Added ada@example\.com as admin\. One-time sign-in link \(valid 24 hours\):\n {2}http:\/\/127\.0\.0\.1:8080\/admin\/sign-in\?token=[\w-]{43}\n$/,
  );
  assert.equal(
    (await cli("users", "add", "ada@example.com")).stderr,
    "cairn: ada@example.com is already a user of this subscription.\n",
  );
  assert.match(
    (await cli("users", "add", "x@example.com", "--role", "king")).stderr,
    /--role must be one of owner, admin, member, viewer/,
  );

  const list = await cli("users", "list");
  assert.match(list.stdout, /owner@localhost {2}owner {2}\(not signed in yet\)/);
  assert.match(list.stdout, /ada@example\.com {2}admin {2}\(integration key access, not signed in yet\)/);
  const link = await cli("users", "link", "ada@example.com");
  assert.match(link.stdout, /sign-in\?token=/);
  assert.equal((await cli("users", "remove", "ada@example.com")).stdout, "Removed ada@example.com.\n");
  assert.doesNotMatch((await cli("users", "list")).stdout, /ada@example\.com/);
  assert.match((await cli("users", "remove", "owner@localhost")).stderr, /last owner cannot be removed/);

  const apps = JSON.parse((await cli("apps", "list", "--json")).stdout) as Array<{
    id: string;
    appKey: string;
  }>;
  const app = apps[0];
  assert.ok(app);
  const rolled = await cli("apps", "roll-key", app.id, "--grace-days", "7");
  assert.match(
    rolled.stdout,
    /^New app key [0-9a-f-]{36}; update the snippet\. The old key is accepted until \S+\.\n$/,
  );
  const origins = await cli("apps", "origins", app.id, "https://app.example.com", "https://*.example.org");
  assert.equal(
    origins.stdout,
    "Events are accepted only from: https://app.example.com, https://*.example.org\n",
  );
  const badOrigin = await cli("apps", "origins", app.id, "app.example.com");
  assert.match(badOrigin.stderr, /"app\.example\.com" is not an origin/);
  const after = JSON.parse((await cli("apps", "list", "--json")).stdout) as Array<{
    appKey: string;
    allowedOrigins: string[];
  }>;
  assert.notEqual(after[0]?.appKey, app.appKey);
  assert.deepEqual(after[0]?.allowedOrigins, ["https://app.example.com", "https://*.example.org"]);
  assert.equal((await cli("apps", "origins", app.id)).stdout, "Events are accepted from any origin.\n");

  assert.match((await cli("apps", "feedback-widget", app.id, "yes")).stderr, /Say "on" or "off", not "yes"/);
  assert.match((await cli("apps", "feedback-widget", app.id, "on")).stdout, /now offers the feedback panel/);
  assert.match((await cli("apps", "list")).stdout, /\(feedback panel on\)/);
  assert.match((await cli("apps", "feedback-widget", app.id, "off")).stdout, /feedback panel is off/);
  assert.doesNotMatch((await cli("apps", "list")).stdout, /feedback panel/);
});

test("cairn keys create --kind track without --app: the only app is taken; with two apps it names --app and lists them", async () => {
  const cwd = tempDir("cli-track-app");
  const cli = (...args: string[]) => runCli(args, { cwd });
  const server = spawnCli(["start", "--port", "0", "--log-level", "silent"], { cwd });
  await waitForOutput(server, /<\/script>/);
  server.kill("SIGTERM");
  await once(server, "exit");

  const [only] = JSON.parse((await cli("apps", "list", "--json")).stdout) as Array<{ id: string }>;
  assert.ok(only);
  const taken = await cli("keys", "create", "--kind", "track", "--description", "backend", "--json");
  assert.equal(taken.code, 0, taken.stderr);
  assert.equal((JSON.parse(taken.stdout) as { appId: string }).appId, only.id);

  assert.equal((await cli("apps", "create", "Mobile")).code, 0);
  const second = JSON.parse((await cli("apps", "list", "--json")).stdout) as Array<{ id: string }>;
  const refused = await cli("keys", "create", "--kind", "track", "--description", "backend");
  assert.equal(refused.code, 1);
  assert.match(
    refused.stderr,
    /^cairn: A track secret belongs to one app: name it with --app <id> \(this subscription's apps: /,
  );
  for (const app of second) assert.ok(refused.stderr.includes(app.id), `${app.id} is listed`);
  assert.match(refused.stderr, /"Mobile"/);
  const { keys } = JSON.parse((await cli("keys", "list", "--json")).stdout) as { keys: unknown[] };
  assert.equal(keys.length, 1, "the refused command created nothing");
});
