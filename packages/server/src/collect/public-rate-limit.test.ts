import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../start/start-cairn.js";
import { tempDir } from "../start/test-support/temp-dir.js";

async function started(perApp: string, perAddress: string): Promise<RunningCairn> {
  const flags = {
    dataDir: tempDir("public-rate"),
    port: "0",
    logLevel: "silent" as const,
    publicRatePerApp: perApp,
    publicRatePerAddress: perAddress,
  };
  return startCairn(loadConfig(flags, {}, process.cwd()));
}

const guideJson = (cairn: RunningCairn, address: string) =>
  cairn.app.inject({
    method: "GET",
    url: `/data/guide.json/${cairn.installation.app.appKey}`,
    remoteAddress: address,
  });

describe("public-key endpoints are rate limited", () => {
  describe("per address (2/s, bursts of 20)", () => {
    let cairn: RunningCairn;
    before(async () => {
      cairn = await started("0", "2");
    });
    after(() => cairn.shutdown());

    test("one address past its burst gets 429 with Retry-After; another address is served", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) statuses.push((await guideJson(cairn, "203.0.113.5")).statusCode);
      assert.deepEqual(statuses.slice(0, 20), Array(20).fill(200));
      const refused = await guideJson(cairn, "203.0.113.5");
      assert.equal(refused.statusCode, 429);
      assert.match(String(refused.headers["retry-after"]), /^[1-9]\d*$/);
      assert.equal(refused.headers["access-control-allow-origin"], "*", "the panel can read the refusal");
      assert.equal((await guideJson(cairn, "203.0.113.6")).statusCode, 200);
    });

    test("the feedback panel and beacons share the address's budget; an IPv6 /64 is one address", async () => {
      for (let i = 0; i < 20; i++) await guideJson(cairn, `2001:db8:5:5::${i + 1}`);
      const panel = await cairn.app.inject({
        method: "GET",
        url: `/data/feedback/${cairn.installation.app.appKey}/ideas`,
        remoteAddress: "2001:db8:5:5:ffff::9",
      });
      assert.equal(panel.statusCode, 429);
    });
  });

  describe("per app key (3/s, bursts of 30)", () => {
    let cairn: RunningCairn;
    before(async () => {
      cairn = await started("3", "0");
    });
    after(() => cairn.shutdown());

    test("many addresses together cannot pass the app's budget", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++) statuses.push((await guideJson(cairn, `198.51.100.${i}`)).statusCode);
      assert.deepEqual(statuses.slice(0, 30), Array(30).fill(200));
      assert.equal(statuses[30], 429);
    });
  });
});
