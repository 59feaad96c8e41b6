import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "./start-cairn.js";
import { tempDir } from "./test-support/temp-dir.js";

async function started(name: string, webAppRoot: string): Promise<RunningCairn> {
  const config = loadConfig({ dataDir: tempDir(name), port: "0", logLevel: "silent" }, {}, process.cwd());
  return startCairn(config, { webAppRoot });
}

describe("the web app at /", () => {
  let cairn: RunningCairn;
  const root = tempDir("web-app-build");

  before(async () => {
    mkdirSync(path.join(root, "assets"));
    writeFileSync(
      path.join(root, "index.html"),
      '<!doctype html><script src="/assets/app-1a2b.js"></script>',
    );
    writeFileSync(path.join(root, "assets", "app-1a2b.js"), "console.log('app')");
    cairn = await started("web-app", root);
  });
  after(() => cairn.shutdown());

  test("every screen's address answers index.html under a strict Content-Security-Policy", async () => {
    for (const address of ["/", "/settings/integration-keys", "/settings/apps/app_1?x=1"]) {
      const response = await fetch(cairn.publicUrl + address);
      assert.equal(response.status, 200, address);
      assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
      assert.match(await response.text(), /app-1a2b\.js/);
      const policy = response.headers.get("content-security-policy") ?? "";
      assert.match(policy, /script-src 'self'(;|$)/);
      assert.match(policy, /frame-ancestors 'none'/);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    }
  });

  test("hashed assets are served and cached for good; an unknown asset is a 404", async () => {
    const asset = await fetch(`${cairn.publicUrl}/assets/app-1a2b.js`);
    assert.equal(asset.status, 200);
    assert.equal(await asset.text(), "console.log('app')");
    assert.match(asset.headers.get("cache-control") ?? "", /immutable/);
    assert.equal((await fetch(`${cairn.publicUrl}/assets/gone-0000.js`)).status, 404);
  });

  test("service paths keep their JSON 404; the app never answers for them", async () => {
    for (const address of ["/api/v1/nothing", "/api/admin/nothing", "/data/nothing", "/feedback/nothing"]) {
      const response = await fetch(cairn.publicUrl + address);
      assert.equal(response.status, 404, address);
      const body = (await response.json()) as { error: { code: string } };
      assert.equal(body.error.code, "not_found");
    }
  });
});

test("before the web app is built, / says how to build it", async () => {
  const cairn = await started("web-app-unbuilt", tempDir("web-app-empty"));
  try {
    const response = await fetch(`${cairn.publicUrl}/settings/install`);
    assert.equal(response.status, 503);
    assert.match(await response.text(), /npm run build --workspace @cairn\/web/);
  } finally {
    await cairn.shutdown();
  }
});
