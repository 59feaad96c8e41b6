import assert from "node:assert/strict";
import { once } from "node:events";
import { test } from "node:test";
import { runCli, spawnCli, waitForOutput } from "../../start/test-support/run-cli.js";
import { tempDir } from "../../start/test-support/temp-dir.js";

test("cairn exclude add, list and remove work while cairn start runs; bad rules and duplicates are refused", async () => {
  const cwd = tempDir("cli-exclude");
  const cli = (...args: string[]) => runCli(args, { cwd });

  const none = await cli("exclude", "list");
  assert.equal(none.code, 1);
  assert.equal(none.stderr, "cairn: No subscription yet: run `cairn start` once first.\n");

  const server = spawnCli(["start", "--port", "0", "--log-level", "silent"], { cwd });
  try {
    await waitForOutput(server, /<\/script>/);

    const empty = await cli("exclude", "list");
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /^The Exclude List is empty/);

    const added = await cli("exclude", "add", "--kind", "ip", "10.0.0.0/08", "--note", "office VPN");
    assert.equal(added.code, 0, added.stderr);
    const id =
      /^Added (exr_\w{22}): ip 10\.0\.0\.0\/8\. Events received from now on that match it are flagged excluded\.\n$/.exec(
        added.stdout,
      )?.[1];
    assert.ok(id, added.stdout);

    const duplicate = await cli("exclude", "add", "--kind", "ip", "10.0.0.0/8");
    assert.equal(duplicate.code, 1);
    assert.equal(duplicate.stderr, `cairn: The Exclude List already has the ip rule "10.0.0.0/8" (${id}).\n`);
    const badCidr = await cli("exclude", "add", "--kind", "ip", "10.0.0.0/33");
    assert.equal(badCidr.code, 1);
    assert.match(badCidr.stderr, /^cairn: "10\.0\.0\.0\/33" is not a CIDR range: the prefix length/);
    const badKind = await cli("exclude", "add", "--kind", "email", "a@b.c");
    assert.match(badKind.stderr, /must be one of ip, visitor, account, host; got "email"/);
    const noKind = await cli("exclude", "add", "visitor-1");
    assert.notEqual(noKind.code, 0);
    assert.match(noKind.stderr, /required option '--kind <kind>' not specified/);

    const json = await cli("exclude", "add", "--kind", "host", "*.Internal.Example.com", "--json");
    assert.equal(json.code, 0, json.stderr);
    const host = JSON.parse(json.stdout) as { id: string; kind: string; pattern: string; createdBy: string };
    assert.deepEqual(
      { kind: host.kind, pattern: host.pattern, createdBy: host.createdBy },
      { kind: "host", pattern: "*.internal.example.com", createdBy: "cli" },
    );

    const list = await cli("exclude", "list");
    assert.match(list.stdout, /^ID +KIND +PATTERN +CREATED BY +CREATED AT +NOTE\n/);
    assert.match(list.stdout, new RegExp(`\\n${id} +ip +10\\.0\\.0\\.0/8 +cli +\\S+ +office VPN\\n`));
    assert.equal(list.stdout.trim().split("\n").length, 3);
    const listed = JSON.parse((await cli("exclude", "list", "--json")).stdout) as Array<{ id: string }>;
    assert.deepEqual(
      listed.map((r) => r.id),
      [id, host.id],
    );

    const removed = await cli("exclude", "remove", id);
    assert.equal(removed.stdout, `Removed ${id}: ip 10.0.0.0/8.\n`);
    const missing = await cli("exclude", "remove", id);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, `cairn: No Exclude List rule ${id} in this subscription.\n`);
    const after = JSON.parse((await cli("exclude", "list", "--json")).stdout) as Array<{ id: string }>;
    assert.deepEqual(
      after.map((r) => r.id),
      [host.id],
    );

    const audit = JSON.parse((await cli("audit", "--target", id, "--json")).stdout) as Array<{
      action: string;
      actor: string;
    }>;
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor]),
      [
        ["exclude_rule.removed", "cli"],
        ["exclude_rule.added", "cli"],
      ],
    );
  } finally {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill("SIGTERM");
      await once(server, "exit");
    }
  }
});
