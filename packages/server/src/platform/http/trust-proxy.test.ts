import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { keysOfEveryKind } from "../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { loadConfig } from "../config/load-config.js";
import { parseTrustProxy } from "../config/trust-proxy.js";

const proxy = "10.0.0.5";

async function started(trustProxy: string | undefined): Promise<RunningCairn> {
  const flags = { dataDir: tempDir("trust-proxy"), port: "0", logLevel: "silent" as const };
  return startCairn(loadConfig(trustProxy ? { ...flags, trustProxy } : flags, {}, process.cwd()));
}

function listPages(cairn: RunningCairn, key: string, client: string) {
  return cairn.app.inject({
    method: "GET",
    url: "/api/v1/page",
    remoteAddress: proxy,
    headers: { "x-pendo-integration-key": key, "x-forwarded-for": client },
  });
}

describe("CAIRN_TRUST_PROXY", () => {
  test("takes a hop count or addresses and ranges, never 'trust everything'", () => {
    assert.deepEqual(parseTrustProxy("1"), { ok: true, value: 1 });
    assert.deepEqual(parseTrustProxy("none"), { ok: true, value: false });
    assert.deepEqual(parseTrustProxy("10.0.0.0/8, 2001:db8::/32,192.0.2.1"), {
      ok: true,
      value: ["10.0.0.0/8", "2001:db8::/32", "192.0.2.1"],
    });
    for (const everything of ["true", "*", "0.0.0.0/0", "::/0", "10.0.0.0/0"]) {
      const parsed = parseTrustProxy(everything);
      assert.equal(parsed.ok, false, everything);
    }
    assert.equal(parseTrustProxy("proxy.example").ok, false);
    assert.equal(parseTrustProxy("10.0.0.0/33").ok, false);
    assert.throws(
      () => loadConfig({}, { CAIRN_TRUST_PROXY: "true" }, process.cwd()),
      /CAIRN_TRUST_PROXY.*must not trust every address/,
    );
  });

  describe("behind one trusted proxy", () => {
    let cairn: RunningCairn;
    before(async () => {
      cairn = await started("1");
    });
    after(() => cairn.shutdown());

    test("one client's bad keys lock out that client, not everyone behind the proxy", async () => {
      const keys = await keysOfEveryKind(cairn);
      for (let i = 0; i < 100; i++) await listPages(cairn, `cik_guess${i}`, "203.0.113.66");
      assert.equal((await listPages(cairn, "cik_guess", "203.0.113.66")).statusCode, 429);
      const other = await listPages(cairn, keys.integration, "203.0.113.77");
      assert.equal(other.statusCode, 200, other.body);
    });
  });

  describe("by default (no proxy trusted)", () => {
    let cairn: RunningCairn;
    before(async () => {
      cairn = await started(undefined);
    });
    after(() => cairn.shutdown());

    test("X-Forwarded-For is ignored: a client cannot choose its address to escape the limit", async () => {
      for (let i = 0; i < 100; i++) await listPages(cairn, `cik_guess${i}`, `203.0.113.${i}`);
      const answer = await listPages(cairn, "cik_guess", "198.51.100.200");
      assert.equal(answer.statusCode, 429, answer.body);
    });
  });
});
