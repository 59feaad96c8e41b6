/**
 * Guides in a real browser, end to end: guides are added to the built `cairn start` (the CLI, which calls the
 * same guide service as the admin API) and published; a customer's page on another origin, with the install
 * snippet, gets them from guide.json; the agent loads its guide bundle and draws them. A three-step walkthrough
 * with a poll shows itself, advances, records the answer and stays away after its dismissal; a single-page
 * navigation brings a page's guide, continued after a reload; tooltips find targets in an open shadow root, an
 * open modal <dialog> and a same-origin frame, and wait for a late one; badges and clicks open guides; Escape
 * dismisses; a target that never appears is skipped. Then the stored events are read back.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { deflateSync } from "node:zlib";
import type { StoredEvent } from "@cairn/server/internals";
import type { Page } from "playwright-core";
import { cliPath, launchChromium, servePage, snippet, startCairn, storedEvents } from "./browser-support.js";

const work = mkdtempSync(path.join(tmpdir(), "cairn-e2e-guides-"));
after(() => rmSync(work, { recursive: true, force: true }));
/** Screenshots to look at when something seems off; kept apart from the work folder, which is removed. */
const shots = process.env.CAIRN_SCREENSHOTS ?? path.join(tmpdir(), "cairn-guide-screenshots");

async function cli(dataDir: string, ...args: string[]): Promise<unknown> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [cliPath, ...args, "--json", "--data-dir", dataDir],
    { cwd: work },
  );
  return JSON.parse(stdout);
}

const lightbox = (blocks: unknown[], extra: object = {}) => ({
  type: "lightbox",
  content: { blocks },
  ...extra,
});
const button = (label: string, type: string) => ({ type: "button", label, action: { type } });

const guides = {
  tour: {
    name: "Welcome tour",
    launchMethod: "auto",
    priority: 10,
    polls: [{ id: "score", type: "nps", question: "How likely are you to recommend us?" }],
    steps: [
      lightbox([
        { type: "heading", text: "Welcome to Acme!", level: 2 },
        { type: "text", text: "A short tour of what is new, where 1 < 2 & 'quotes' stay text." },
        button("Next", "advanceGuide"),
      ]),
      lightbox([
        { type: "poll", pollId: "score" },
        button("Back", "previousStep"),
        button("Send", "submitPoll"),
      ]),
      lightbox([{ type: "heading", text: "Thank you!" }, button("Done", "dismissGuide")], {
        closeButton: true,
      }),
    ],
  },
  shadowTip: {
    name: "Shadow tip",
    launchMethod: "api",
    steps: [
      {
        type: "tooltip",
        anchorSelector: "#in-shadow",
        content: {
          blocks: [
            { type: "heading", text: "Inside a component", level: 3 },
            { type: "text", text: "This button lives in a shadow root." },
            button("Got it", "dismissGuide"),
          ],
        },
      },
    ],
  },
  dialogTip: {
    name: "Dialog tip",
    launchMethod: "api",
    steps: [
      {
        type: "tooltip",
        anchorSelector: "#in-dialog",
        content: {
          blocks: [{ type: "text", text: "Save your settings here." }, button("OK", "dismissGuide")],
        },
      },
    ],
  },
  badge: {
    name: "Help badge",
    launchMethod: "badge",
    activationSelector: "#help",
    steps: [lightbox([{ type: "heading", text: "Need help?" }, button("Close", "dismissGuide")])],
  },
  nextPage: {
    name: "On the next page",
    launchMethod: "auto",
    urlRule: "//*/next",
    steps: [
      lightbox([{ type: "heading", text: "Next page, step one" }, button("Continue", "advanceGuide")]),
      lightbox([{ type: "heading", text: "Next page, step two" }, button("Finish", "advanceGuide")]),
    ],
  },
  frameTip: {
    name: "Frame tip",
    launchMethod: "api",
    steps: [
      {
        type: "tooltip",
        anchorSelector: "#in-frame",
        content: { blocks: [{ type: "text", text: "Inside a frame." }, button("OK", "dismissGuide")] },
      },
    ],
  },
  lateTip: {
    name: "Late tip",
    launchMethod: "api",
    steps: [
      {
        type: "tooltip",
        anchorSelector: "#late",
        content: { blocks: [{ type: "text", text: "It came late." }, button("OK", "dismissGuide")] },
      },
    ],
  },
  domLaunch: {
    name: "Opened by a click",
    launchMethod: "dom",
    activationSelector: "#whats-new",
    steps: [lightbox([{ type: "heading", text: "What is new" }, button("Close", "dismissGuide")])],
  },
  banner: {
    name: "Banner",
    launchMethod: "api",
    steps: [
      {
        type: "banner",
        content: {
          blocks: [
            { type: "text", text: "Scheduled maintenance on Sunday from 02:00 to 03:00 UTC." },
            {
              type: "button",
              label: "Details",
              action: { type: "openLink", url: "https://status.example.com/" },
            },
            button("Dismiss", "dismissGuide"),
          ],
        },
      },
    ],
  },
  missing: {
    name: "Missing target",
    launchMethod: "api",
    steps: [
      {
        type: "tooltip",
        anchorSelector: "#never-there",
        content: { blocks: [{ type: "text", text: "Lost" }] },
      },
      lightbox([{ type: "heading", text: "Fallback step" }, button("Done", "dismissGuide")]),
    ],
  },
};

function customerPage(cairnUrl: string, appKey: string): string {
  return `<!doctype html>
<html><head><title>Customer app</title>
<style>
  /* Page styles that would wreck a guide if they reached it. */
  * { font-family: "Comic Sans MS", cursive !important; }
  button { background: hotpink; border: 4px dashed lime; }
  h2, h3, p { color: red; text-transform: uppercase; }
  body { margin: 0; padding: 24px; min-height: 1600px; }
</style>
${snippet(
  cairnUrl,
  appKey,
  "pendo.initialize({ visitor: { id: new URLSearchParams(location.search).get('visitor') || 'v-guides' }, account: { id: 'acme-guides' } });",
)}
</head><body>
  <h1>Customer app</h1>
  <p><button id="help">Help</button></p>
  <p style="margin-top: 120px">A web component: <span id="component"></span></p>
  <p><button id="whats-new">What's new</button>
    <iframe id="frame" style="width: 300px; height: 80px; margin-left: 400px"
      srcdoc="<button id='in-frame' style='margin: 20px'>Framed button</button>"></iframe></p>
  <dialog id="settings"><p>Settings</p><p><button id="in-dialog">Save</button></p></dialog>
  <script>
    const shadow = document.getElementById("component").attachShadow({ mode: "open" });
    shadow.innerHTML = '<button id="in-shadow">Shadow button</button>';
  </script>
</body></html>`;
}

type Pendo = {
  showGuideById(id: string): boolean;
  getActiveGuide(): { guide: { id: string }; stepIndex: number } | undefined;
};

const guideBox = (tab: Page, kind: string) => tab.locator(`[data-cairn-guide=${kind}] .g`);

async function eventually(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What guide.json answers this visitor, asked as the agent asks. */
async function guideJson(cairnUrl: string, appKey: string, url: string) {
  const jzb = deflateSync(JSON.stringify({ visitorId: "v-guides", accountId: "acme-guides", url })).toString(
    "base64url",
  );
  const response = await fetch(
    `${cairnUrl}/data/guide.json/${appKey}?id=1&jzb=${jzb}&v=test&ct=${Date.now()}`,
  );
  return (await response.json()) as { guides: Array<{ id: string; steps: Array<{ seenState: string }> }> };
}

test("guides in Chromium: a walkthrough with a poll for a segment, not shown again after dismissal (reload, new browser) nor outside the segment, SPA and reload continuation, tooltips in a shadow root, a dialog and a frame, late and missing targets, badge and click launches, Escape", async () => {
  mkdirSync(shots, { recursive: true });
  const dataDir = path.join(work, "data");
  const cairn = await startCairn(dataDir, work);
  let page: { server: Server; origin: string } | undefined;
  const context = await launchChromium(path.join(work, "profile"));
  const ids = Object.fromEntries(Object.keys(guides).map((key) => [key, ""])) as Record<
    keyof typeof guides,
    string
  >;
  try {
    // The walkthrough is for one segment, which v-guides is in.
    const membersFile = path.join(work, "members.json");
    writeFileSync(membersFile, JSON.stringify(["v-guides"]));
    const segment = (await cli(dataDir, "segments", "add", "Onboarding", "--visitors-file", membersFile)) as {
      id: string;
    };
    for (const [key, guide] of Object.entries(guides) as Array<[keyof typeof guides, object]>) {
      const file = path.join(work, `${key}.json`);
      writeFileSync(file, JSON.stringify(key === "tour" ? { ...guide, segmentId: segment.id } : guide));
      const added = (await cli(dataDir, "guides", "add", file)) as { id: string };
      await cli(dataDir, "guides", "state", added.id, "public");
      ids[key] = added.id;
    }

    page = await servePage(customerPage(cairn.url, cairn.appKey));
    const tab = context.pages()[0] ?? (await context.newPage());
    await tab.setViewportSize({ width: 1000, height: 700 });
    const scripts: string[] = [];
    tab.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(request.url());
    });
    const errors: string[] = [];
    tab.on("pageerror", (error) => errors.push(String(error)));
    await tab.goto(`${page.origin}/`);

    // The walkthrough shows itself, drawn from the guide bundle the agent loaded for it.
    const tour = guideBox(tab, "lightbox");
    await tour.getByRole("heading", { name: "Welcome to Acme!" }).waitFor({ timeout: 15_000 });
    assert.ok(scripts.includes(`${cairn.url}/agent/static/${cairn.appKey}/guides.js`));
    assert.equal(await tour.getAttribute("role"), "dialog");
    assert.equal(await tour.getAttribute("aria-modal"), "true");
    assert.match((await tour.textContent()) ?? "", /1 < 2 & 'quotes' stay text/, "text goes in as text");
    // The page's CSS does not reach into the guide.
    const next = tour.getByRole("button", { name: "Next" });
    assert.notEqual(await next.evaluate((el) => getComputedStyle(el).backgroundColor), "rgb(255, 105, 180)");
    assert.equal(
      await next.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement),
      true,
      "focus moves in",
    );
    await tab.screenshot({ path: path.join(shots, "lightbox.png") });
    const focused = () => tour.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement?.id ?? "");
    await tab.keyboard.press("Tab");
    assert.match(await focused(), /^pendo-close-guide-/, "Tab reaches the close button");
    await tab.keyboard.press("Tab");
    assert.match(await focused(), /^pendo-button-/, "and comes back to Next: the focus stays in");

    await next.click();
    const send = tour.getByRole("button", { name: "Send" });
    await send.waitFor();
    await tour.getByText("How likely are you to recommend us?").waitFor();
    await tour.locator("label", { hasText: /^9$/ }).click();
    await tab.screenshot({ path: path.join(shots, "poll.png") });
    await send.click();
    await tour.getByRole("heading", { name: "Thank you!" }).waitFor();
    await tour.getByRole("button", { name: "Close" }).click();
    await tour.waitFor({ state: "detached" });

    // Once the server has the dismissal, the walkthrough does not come back on the next load.
    await eventually(async () => {
      const answer = await guideJson(cairn.url, cairn.appKey, `${page?.origin}/`);
      return answer.guides.find((g) => g.id === ids.tour)?.steps[2]?.seenState === "dismissed";
    }, "the dismissal in guide.json");
    await tab.reload();
    await tab.waitForFunction(() =>
      (window as unknown as { pendo?: { isReady?: () => boolean } }).pendo?.isReady?.(),
    );
    await tab.locator("[data-cairn-guide=badge]").waitFor({ state: "attached", timeout: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(
      await tab.locator("[data-cairn-guide=lightbox]").count(),
      0,
      "no walkthrough after dismissal",
    );

    // A single-page navigation asks again: the guide of /next shows; after its first step, a reload continues it.
    await tab.evaluate(() => history.pushState({}, "", "/next"));
    const nextPage = guideBox(tab, "lightbox");
    await nextPage.getByRole("heading", { name: "Next page, step one" }).waitFor({ timeout: 15_000 });
    await nextPage.getByRole("button", { name: "Continue" }).click();
    await nextPage.getByRole("heading", { name: "Next page, step two" }).waitFor();
    await eventually(async () => {
      const answer = await guideJson(cairn.url, cairn.appKey, `${page?.origin}/next`);
      return answer.guides.find((g) => g.id === ids.nextPage)?.steps[0]?.seenState === "advanced";
    }, "the advance in guide.json");
    await tab.reload();
    await nextPage.getByRole("heading", { name: "Next page, step two" }).waitFor({ timeout: 15_000 });
    await nextPage.getByRole("button", { name: "Finish" }).click();
    await nextPage.waitFor({ state: "detached" });
    await tab.evaluate(() => history.pushState({}, "", "/"));

    // A tooltip anchored to a button inside an open shadow root, next to it.
    await tab.evaluate(
      (id) => (window as unknown as { pendo: Pendo }).pendo.showGuideById(id),
      ids.shadowTip,
    );
    const shadowTip = guideBox(tab, "tooltip");
    await shadowTip.getByText("This button lives in a shadow root.").waitFor();
    const anchor = await tab.locator("#component").locator("#in-shadow").boundingBox();
    const tip = await shadowTip.boundingBox();
    assert.ok(anchor && tip);
    assert.ok(
      Math.abs(tip.y - (anchor.y + anchor.height + 12)) <= 2,
      `below its target: ${JSON.stringify({ anchor, tip })}`,
    );
    assert.ok(
      tip.x <= anchor.x + anchor.width && tip.x + tip.width >= anchor.x,
      "overlapping it horizontally",
    );
    await tab.screenshot({ path: path.join(shots, "tooltip-shadow.png") });
    // It follows its target when the page scrolls.
    await tab.evaluate(() => window.scrollBy(0, 80));
    await eventually(async () => {
      const moved = await shadowTip.boundingBox();
      return moved !== null && Math.abs(moved.y - (tip.y - 80)) <= 2;
    }, "the tooltip following the scroll");
    await tab.keyboard.press("Escape");
    await shadowTip.waitFor({ state: "detached" });
    await tab.evaluate(() => window.scrollTo(0, 0));

    // A tooltip anchored inside an open modal dialog is drawn above it (mounted in the dialog's top layer).
    await tab.evaluate(() => (document.getElementById("settings") as HTMLDialogElement).showModal());
    await tab.evaluate(
      (id) => (window as unknown as { pendo: Pendo }).pendo.showGuideById(id),
      ids.dialogTip,
    );
    const dialogTip = guideBox(tab, "tooltip");
    await dialogTip.getByText("Save your settings here.").waitFor();
    assert.equal(
      await tab.locator("#settings [data-cairn-guide=tooltip]").count(),
      1,
      "mounted in the dialog",
    );
    const box = await dialogTip.boundingBox();
    assert.ok(box);
    const onTop = await tab.evaluate(
      ({ x, y }) =>
        document.elementFromPoint(x, y)?.closest("[data-cairn-guide]")?.getAttribute("data-cairn-guide"),
      { x: box.x + box.width / 2, y: box.y + box.height / 2 },
    );
    assert.equal(onTop, "tooltip", "nothing covers the tooltip");
    await tab.screenshot({ path: path.join(shots, "tooltip-dialog.png") });
    await dialogTip.getByRole("button", { name: "OK" }).click();
    await dialogTip.waitFor({ state: "detached" });
    await tab.evaluate(() => (document.getElementById("settings") as HTMLDialogElement).close());

    // A tooltip anchored inside a same-origin frame sits below the framed button, in the page's coordinates.
    await tab.evaluate((id) => (window as unknown as { pendo: Pendo }).pendo.showGuideById(id), ids.frameTip);
    const frameTip = guideBox(tab, "tooltip");
    await frameTip.getByText("Inside a frame.").waitFor();
    const framed = await tab.frameLocator("#frame").locator("#in-frame").boundingBox();
    const frameBox = await frameTip.boundingBox();
    assert.ok(framed && frameBox);
    assert.ok(Math.abs(frameBox.y - (framed.y + framed.height + 12)) <= 2, "below the framed button");
    await frameTip.getByRole("button", { name: "OK" }).click();
    await frameTip.waitFor({ state: "detached" });

    // A target that appears a moment later is waited for.
    await tab.evaluate((id) => {
      setTimeout(() => {
        const late = document.createElement("button");
        late.id = "late";
        late.textContent = "Late button";
        document.body.append(late);
      }, 800);
      (window as unknown as { pendo: Pendo }).pendo.showGuideById(id);
    }, ids.lateTip);
    const lateTip = guideBox(tab, "tooltip");
    await lateTip.getByText("It came late.").waitFor({ timeout: 5000 });
    await lateTip.getByRole("button", { name: "OK" }).click();
    await lateTip.waitFor({ state: "detached" });

    // A click on the activation element opens a target-element (dom) guide.
    await tab.click("#whats-new");
    const domGuide = guideBox(tab, "lightbox");
    await domGuide.getByRole("heading", { name: "What is new" }).waitFor();
    await domGuide.getByRole("button", { name: "Close" }).first().click();
    await domGuide.waitFor({ state: "detached" });

    // The badge by #help opens its guide; Escape dismisses it and the focus goes back to the badge.
    const badge = tab.locator("[data-cairn-guide=badge] button");
    const help = await tab.locator("#help").boundingBox();
    const badgeBox = await badge.boundingBox();
    assert.ok(help && badgeBox);
    assert.ok(Math.abs(badgeBox.x - (help.x + help.width - 12)) <= 2, "at the anchor's top right corner");
    await badge.click();
    const helpGuide = guideBox(tab, "lightbox");
    await helpGuide.getByRole("heading", { name: "Need help?" }).waitFor();
    await tab.keyboard.press("Escape");
    await helpGuide.waitFor({ state: "detached" });
    assert.equal(
      await badge.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement),
      true,
      "focus restored",
    );

    // A banner across the top of the page.
    await tab.evaluate((id) => (window as unknown as { pendo: Pendo }).pendo.showGuideById(id), ids.banner);
    const banner = guideBox(tab, "banner");
    await banner.getByText("Scheduled maintenance").waitFor();
    const bannerBox = await banner.boundingBox();
    assert.ok(bannerBox);
    assert.deepEqual([bannerBox.x, bannerBox.y, bannerBox.width], [0, 0, 1000]);
    await tab.screenshot({ path: path.join(shots, "banner.png") });
    await banner.getByRole("button", { name: "Dismiss" }).click();
    await banner.waitFor({ state: "detached" });

    // A step whose target never appears is skipped (guideNotSeen) and the next step shows.
    await tab.evaluate((id) => (window as unknown as { pendo: Pendo }).pendo.showGuideById(id), ids.missing);
    await guideBox(tab, "lightbox")
      .getByRole("heading", { name: "Fallback step" })
      .waitFor({ timeout: 10_000 });
    await guideBox(tab, "lightbox").getByRole("button", { name: "Done" }).click();
    await tab.evaluate(() =>
      (window as unknown as { pendo: { flushNow(): Promise<void> } }).pendo.flushNow(),
    );
    assert.deepEqual(errors, []);
    await new Promise((resolve) => setTimeout(resolve, 500));

    // A new browser (nothing stored locally) for the same visitor: the server's state keeps the walkthrough
    // dismissed. A visitor outside the segment is never offered it.
    for (const [visitor, profile] of [
      ["v-guides", "profile-same-visitor"],
      ["v-outsider", "profile-outsider"],
    ] as const) {
      const fresh = await launchChromium(path.join(work, profile));
      try {
        const other = fresh.pages()[0] ?? (await fresh.newPage());
        const answered = other.waitForResponse((r) => r.url().includes("/data/guide.json/"));
        await other.goto(`${page.origin}/?visitor=${visitor}`);
        const answer = (await (await answered).json()) as { guides: Array<{ id: string }> };
        assert.equal(
          answer.guides.some((g) => g.id === ids.tour),
          visitor === "v-guides",
          visitor,
        );
        await other.locator("[data-cairn-guide=badge]").waitFor({ state: "attached", timeout: 15_000 });
        await new Promise((resolve) => setTimeout(resolve, 1000));
        assert.equal(await other.getByText("Welcome to Acme!").count(), 0, `${visitor}: no walkthrough`);
      } finally {
        await fresh.close();
      }
    }
  } finally {
    await context.close();
    page?.server.close();
    await cairn.stop();
  }

  const events = await storedEvents(dataDir);
  const props = (e: StoredEvent) => (JSON.parse(e.properties) as { props: Record<string, unknown> }).props;
  // In the order they happened: the guide and poll queues are sent apart, the sequence counter is shared.
  const sequence = (e: StoredEvent) => Number((JSON.parse(e.properties) as { sequence?: unknown }).sequence);
  const guideEvents = events
    .filter((e) => e.type.startsWith("guide") || e.type === "pollResponse")
    .sort((a, b) => a.occurredAt - b.occurredAt || sequence(a) - sequence(b))
    .map((e): Record<string, unknown> => ({ type: e.type, visitor: e.visitorId, ...props(e) }));
  const of = (guideId: string) => guideEvents.filter((e) => e.guide_id === guideId);
  const steps = (guideId: string) =>
    of(guideId).map((e) => [e.type, e.reason ?? e.seen_reason ?? e.poll_response]);

  assert.deepEqual(steps(ids.tour), [
    ["guideSeen", "auto"],
    ["guideActivity", undefined],
    ["guideAdvanced", "auto"],
    ["guideSeen", "continue"],
    ["guideActivity", undefined],
    ["pollResponse", 9],
    ["guideAdvanced", "auto"],
    ["guideSeen", "continue"],
    ["guideActivity", undefined],
    ["guideDismissed", "auto"],
  ]);
  const poll = of(ids.tour).find((e) => e.type === "pollResponse");
  assert.equal(poll?.poll_id, "score");
  assert.equal(poll?.poll_type, "NPSRating");
  assert.equal(poll?.visitor, "v-guides");
  const [seen, activity, advanced] = of(ids.tour);
  assert.equal(typeof seen?.last_updated_at, "number");
  assert.equal(advanced?.destination_step_id, of(ids.tour)[3]?.guide_step_id);
  assert.deepEqual(activity?.ui_element_actions, [{ action: "advanceGuide" }]);
  assert.equal(activity?.ui_element_type, "BUTTON");
  assert.equal(activity?.ui_element_text, "Next");

  assert.deepEqual(steps(ids.shadowTip), [
    ["guideSeen", "api"],
    ["guideDismissed", "api"],
  ]);
  assert.deepEqual(steps(ids.dialogTip), [
    ["guideSeen", "api"],
    ["guideActivity", undefined],
    ["guideDismissed", "api"],
  ]);
  assert.deepEqual(steps(ids.badge), [
    ["guideSeen", "badge"],
    ["guideDismissed", "badge"],
  ]);
  assert.deepEqual(steps(ids.nextPage), [
    ["guideSeen", "auto"],
    ["guideActivity", undefined],
    ["guideAdvanced", "auto"],
    ["guideSeen", "continue"],
    ["guideSeen", "continue"],
    ["guideActivity", undefined],
    ["guideAdvanced", "auto"],
  ]);
  assert.equal(of(ids.nextPage).at(-1)?.destination_step_id, undefined, "the last step advances nowhere");
  assert.deepEqual(steps(ids.frameTip), [
    ["guideSeen", "api"],
    ["guideActivity", undefined],
    ["guideDismissed", "api"],
  ]);
  assert.deepEqual(steps(ids.lateTip), [
    ["guideSeen", "api"],
    ["guideActivity", undefined],
    ["guideDismissed", "api"],
  ]);
  assert.deepEqual(steps(ids.domLaunch), [
    ["guideSeen", "dom"],
    ["guideActivity", undefined],
    ["guideDismissed", "dom"],
  ]);
  assert.deepEqual(steps(ids.missing), [
    ["guideNotSeen", "targetNotFound"],
    ["guideSeen", "continue"],
    ["guideActivity", undefined],
    ["guideDismissed", "api"],
  ]);
});
