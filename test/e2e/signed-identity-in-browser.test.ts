/**
 * Signed visitor identity in a real browser. An admin creates the app's identity secret and requires the
 * token for the panel and events (refusing unsigned ones) with the CLI. The customer's back end (this test)
 * signs a token for its signed-in user with node:crypto, as docs/security.md shows, and its page passes it
 * to pendo.initialize: the panel works and the beacons carry the token. A second page scripts the same
 * visitor id without a token: its panel is refused with the message for the back end, it changes nothing,
 * and its events are not stored.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { loadConfig } from "@cairn/server";
import { openEventStores, openMetadataStore, readEvents } from "@cairn/server/internals";
import { cliPath, launchChromium, root, servePage, snippet, startCairn } from "./browser-support.js";

const work = mkdtempSync(path.join(tmpdir(), "cairn-e2e-identity-"));
after(() => rmSync(work, { recursive: true, force: true }));

async function cli(dataDir: string, ...args: string[]): Promise<unknown> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [cliPath, ...args, "--json", "--data-dir", dataDir],
    {
      cwd: work,
    },
  );
  return JSON.parse(stdout);
}

/** The customer's back end, as docs/security.md shows it: a JWT HS256 for the signed-in user. */
function signVisitorToken(secret: string, visitorId: string, accountId: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const exp = Math.floor(Date.now() / 1000) + 60 * 60;
  const body = `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub: visitorId, account: accountId, exp })}`;
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

function customerPage(cairnUrl: string, appKey: string, email: string, token?: string): string {
  const initialize = `pendo.initialize({ visitor: { id: 'v-signed', email: '${email}' }, account: { id: 'acme' }${
    token ? `, identityToken: '${token}'` : ""
  } });`;
  return `<!doctype html><html><head><title>Customer app</title>${snippet(cairnUrl, appKey, initialize)}</head>
<body><h1>Customer app</h1></body></html>`;
}

test("signed identity in Chromium: the signed page's panel and beacons work; a page faking the visitor is refused", async () => {
  const dataDir = path.join(work, "data");
  const cairn = await startCairn(dataDir, work);
  const pages: Server[] = [];
  const context = await launchChromium(path.join(work, "profile"));
  let signedOrigin = "";
  let fakeOrigin = "";
  try {
    const [app] = (await cli(dataDir, "apps", "list")) as Array<{ id: string }>;
    assert.ok(app);
    await cli(dataDir, "apps", "feedback-widget", app.id, "on");
    const { key: secret } = (await cli(
      dataDir,
      "keys",
      "create",
      "--kind",
      "identity",
      "--description",
      "customer back end",
      "--app",
      app.id,
    )) as { key: string };
    assert.deepEqual(
      await cli(dataDir, "apps", "identity", app.id, "panel_and_events", "--unsigned-events", "refuse"),
      { identity: "panel_and_events", unsignedEvents: "refuse" },
    );

    const signed = await servePage(
      customerPage(
        cairn.url,
        cairn.appKey,
        "grace@example.com",
        signVisitorToken(secret, "v-signed", "acme"),
      ),
    );
    pages.push(signed.server);
    signedOrigin = signed.origin;
    const tab = context.pages()[0] ?? (await context.newPage());
    const beacons: string[] = [];
    tab.on("request", (request) => {
      if (request.url().includes("/data/ptm.gif/")) beacons.push(request.url());
    });
    await tab.goto(`${signed.origin}/`);
    const launcher = tab.locator("[data-cairn-feedback] button.l");
    await launcher.waitFor({ state: "visible", timeout: 15_000 });
    await launcher.click();
    const dialog = tab.locator("[data-cairn-feedback] section[role=dialog]");
    await dialog.waitFor({ state: "visible", timeout: 15_000 });
    await tab.fill("#cf-title", "Signed idea");
    await dialog.locator("button[type=submit]").click();
    await dialog.locator("p[role=status]", { hasText: "Thank you!" }).waitFor({ timeout: 15_000 });
    await tab.evaluate(() =>
      (window as unknown as { pendo: { flushNow(): Promise<void> } }).pendo.flushNow(),
    );
    assert.ok(beacons.length > 0, "beacons were sent");
    for (const url of beacons)
      assert.match(url, /&jwt=[\w-]+\.[\w-]+\.[\w-]+/, "each beacon carries the token");

    // Another page (anyone with the app key) claims the same visitor, without a token.
    const fake = await servePage(customerPage(cairn.url, cairn.appKey, "attacker@evil.example"));
    pages.push(fake.server);
    fakeOrigin = fake.origin;
    const fakeTab = await context.newPage();
    await fakeTab.goto(`${fake.origin}/`);
    const fakeLauncher = fakeTab.locator("[data-cairn-feedback] button.l");
    await fakeLauncher.waitFor({ state: "visible", timeout: 15_000 });
    await fakeLauncher.click();
    const fakeDialog = fakeTab.locator("[data-cairn-feedback] section[role=dialog]");
    await fakeDialog.waitFor({ state: "visible", timeout: 15_000 });
    await fakeTab.fill("#cf-title", "Impostor idea");
    await fakeDialog.locator("button[type=submit]").click();
    await fakeDialog
      .locator("p[role=status]", { hasText: "requires a signed visitor identity" })
      .waitFor({ timeout: 15_000 });
    await fakeTab.evaluate(() =>
      (window as unknown as { pendo: { flushNow(): Promise<void> } }).pendo.flushNow(),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    await context.close();
    for (const server of pages) server.close();
    await cairn.stop();
  }

  const config = loadConfig({ dataDir }, {}, root);
  const metadata = await openMetadataStore(config.metadata);
  const subscription = await metadata.db.selectFrom("subscriptions").select("id").executeTakeFirstOrThrow();
  const ideas = await metadata.db.selectFrom("feedback_ideas").select("title").execute();
  const user = await metadata.db
    .selectFrom("feedback_end_users")
    .select("email")
    .where("external_id", "=", "v-signed")
    .executeTakeFirst();
  await metadata.close();
  assert.deepEqual(
    ideas.map((idea) => idea.title),
    ["Signed idea"],
  );
  assert.equal(user?.email, "grace@example.com");

  const store = await openEventStores(config.events);
  try {
    const events = (await readEvents(store.query, { subscriptionId: subscription.id })).filter(
      (e) => e.visitorId === "v-signed",
    );
    assert.ok(
      events.some((e) => e.url?.startsWith(signedOrigin)),
      "the signed page's events are stored",
    );
    assert.equal(
      events.filter((e) => e.url?.startsWith(fakeOrigin)).length,
      0,
      "the fake page's are refused",
    );
    assert.equal(events.filter((e) => e.unsignedIdentity).length, 0);
  } finally {
    await store.sink.close();
  }
});
