/**
 * The whole path a customer's page takes, in a real browser: Debian's Chromium (driven by Playwright) loads
 * a page from one origin with Cairn's install snippet, which loads the agent from the built `cairn start` on
 * another origin. The page is clicked, navigates as a single-page app, identifies its visitor, updates
 * metadata and sends a track event. Then the server is stopped and its stores are read back field by field.
 */

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { loadConfig } from "@cairn/server";
import {
  openEventStores,
  openMetadataStore,
  openProfileStore,
  profilesTargetOf,
  readEvents,
  type StoredEvent,
} from "@cairn/server/internals";
import { launchChromium, root, servePage, snippet, startCairn } from "./browser-support.js";

const work = mkdtempSync(path.join(tmpdir(), "cairn-e2e-browser-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** The customer's single-page app, on its own origin: the snippet exactly as Cairn prints it, then buttons. */
function customerPage(cairnUrl: string, appKey: string): string {
  return `<!doctype html>
<html><head><title>Customer app</title>
${snippet(cairnUrl, appKey)}</head>
<body>
  <div id="toolbar" class="toolbar main">
    <button id="signup" class="btn btn-primary" title="Create account" name="signup">Sign up for the secret plan</button>
    <button id="go" onclick="history.pushState({}, '', '/dashboard?tab=1')">Dashboard</button>
  </div>
  <div class="pendo-ignore"><button id="hidden">Not tracked</button></div>
</body></html>`;
}

/** The calls the page makes (typed by @types/pendo-io-browser in the agent package itself). */
interface PendoCalls {
  identify(visitorId: string, accountId: string): void;
  updateOptions(options: { visitor: Record<string, string>; account: Record<string, string> }): void;
  track(name: string, properties: Record<string, unknown>): void;
  flushNow(): void;
}

const props = (event: StoredEvent | undefined) =>
  JSON.parse(event?.properties ?? "{}") as Record<string, unknown>;

test("Cairn's agent in Chromium: page loads, clicks, SPA navigation, identify, metadata and track reach the stores", async () => {
  const dataDir = path.join(work, "data");
  const cairn = await startCairn(dataDir, work);
  let page: { server: Server; origin: string } | undefined;
  const context = await launchChromium(path.join(work, "profile"));
  let anonymousId = "";
  let userAgent = "";
  try {
    page = await servePage(customerPage(cairn.url, cairn.appKey));
    const tab = context.pages()[0] ?? (await context.newPage());
    const beacons: string[] = [];
    tab.on("response", (response) => {
      if (response.url().includes("/data/ptm.gif/") && response.status() === 200)
        beacons.push(response.url());
    });
    await tab.goto(`${page.origin}/`);
    await tab.waitForFunction(() =>
      (window as unknown as { pendo?: { isReady?: () => boolean } }).pendo?.isReady?.(),
    );
    anonymousId = await tab.evaluate(() =>
      (window as unknown as { pendo: { getVisitorId(): string } }).pendo.getVisitorId(),
    );
    assert.match(anonymousId, /^_PENDO_T_[A-Za-z0-9]{11}$/);
    userAgent = await tab.evaluate(() => navigator.userAgent);

    await tab.click("#signup");
    await tab.click("#hidden");
    await tab.click("#go");
    await tab.evaluate(() => {
      const pendo = (window as unknown as { pendo: PendoCalls }).pendo;
      pendo.identify("v-e2e", "acme-e2e");
      pendo.updateOptions({
        visitor: { id: "v-e2e", email: "e2e@example.com", role: "admin" },
        account: { id: "acme-e2e", plan: "pro" },
      });
      pendo.track("Signed Up", { plan: "pro", seats: 3 });
      pendo.flushNow();
    });
    // The track queue is flushed with the others; once its beacon is answered, the rest follow within the wait.
    const deadline = Date.now() + 15_000;
    while (!beacons.some((url) => url.includes("type=track")) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(
      beacons.some((url) => url.includes("type=track")),
      `track beacon answered: ${beacons.join("\n")}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    await context.close();
    page?.server.close();
    await cairn.stop();
  }

  const config = loadConfig({ dataDir }, {}, root);
  const metadata = await openMetadataStore(config.metadata);
  const subscription = await metadata.db.selectFrom("subscriptions").select("id").executeTakeFirstOrThrow();
  const app = await metadata.db.selectFrom("apps").select(["id", "app_key"]).executeTakeFirstOrThrow();
  await metadata.close();
  assert.equal(app.app_key, cairn.appKey);
  const store = await openEventStores(config.events);
  const profiles = await openProfileStore(profilesTargetOf(config));
  try {
    const events = await readEvents(store.query, { subscriptionId: subscription.id });
    const of = (type: string) => events.filter((e) => e.type === type);
    for (const event of events) {
      assert.equal(event.appId, app.id);
      assert.equal(event.userAgent, userAgent);
      assert.equal(event.ip, "127.0.0.1");
      assert.equal(event.isBot, false, "headless Chromium's agent string is not a known bot's");
    }

    const loads = of("load");
    assert.deepEqual(
      loads.map((e) => new URL(e.url ?? "").pathname + new URL(e.url ?? "").search),
      ["/", "/dashboard?tab=1"],
      "the first page load and the SPA navigation",
    );
    assert.equal(loads[0]?.visitorId, anonymousId);

    const clicks = of("click");
    assert.equal(clicks.length, 2, "signup and go; the pendo-ignore button is not reported");
    const signup = clicks.find((e) => e.elementPath?.startsWith("BUTTON#signup"));
    assert.equal(signup?.elementPath, "BUTTON#signup.btn.btn-primary < DIV#toolbar.toolbar.main < BODY");
    const target = (props(signup).props as { target: Record<string, unknown> }).target;
    assert.equal(target.tag, "BUTTON");
    assert.equal(target.title, "Create account");
    assert.deepEqual(target.attrs, { name: "signup" });
    assert.equal(target.txt, undefined, "excludeAllText is on by default: no element text leaves the page");
    assert.ok(!signup?.properties.includes("secret plan"));
    assert.equal(signup?.visitorId, anonymousId);

    const [identify] = of("identify").filter((e) => e.visitorId === "v-e2e");
    assert.ok(identify, "identify event stored");
    assert.equal(identify.accountId, "acme-e2e");
    assert.equal((props(identify).props as { old_visitor_id?: string }).old_visitor_id, anonymousId);

    const [track] = of("track");
    assert.equal(track?.trackName, "Signed Up");
    assert.equal(track?.visitorId, "v-e2e");
    assert.equal(track?.accountId, "acme-e2e");
    assert.deepEqual(props(track).props, { plan: "pro", seats: 3 });

    assert.deepEqual(await profiles.aliasesOf(subscription.id, "v-e2e"), [anonymousId]);
    const visitor = await profiles.visitor(subscription.id, "v-e2e");
    assert.equal(visitor?.agentMetadata.email, "e2e@example.com");
    assert.equal(visitor?.agentMetadata.role, "admin");
    assert.equal(visitor?.lastAccountId, "acme-e2e");
    assert.equal(visitor?.lastBrowserName, "Chrome");
    assert.equal(visitor?.lastServerName, "127.0.0.1");
    const account = await profiles.account(subscription.id, "acme-e2e");
    assert.equal(account?.agentMetadata.plan, "pro");
  } finally {
    await profiles.close();
    await store.sink.close();
  }
});
