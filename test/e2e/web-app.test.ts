/**
 * The web app in Debian's Chromium against the built `cairn start`: the first-start sign-in link sets a password;
 * Install Settings copies the snippet and turns "last event received" green after a beacon; an integration key
 * is made (seen once, then only its first characters), works, is revoked and refused; an Exclude List rule
 * takes a visitor out of the dashboard (the switch shows it again). Along the way every screen is checked
 * with axe-core (no serious or critical violation) and photographed in light and dark, at 1280 and 390 px,
 * into a folder the test prints; and no answer the app receives holds a secret key, except the one that
 * creates it.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { encodeJzb } from "@cairn/server/internals";
import type { BrowserContext, Page, Response } from "playwright-core";
import { cliPath, launchChromium, servePage, startCairn } from "./browser-support.js";

const work = mkdtempSync(path.join(tmpdir(), "cairn-e2e-web-"));
after(() => rmSync(work, { recursive: true, force: true }));
const screenshots = mkdtempSync(path.join(tmpdir(), "cairn-screens-"));
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** A secret key in clear: a prefix and far more characters than the 4 a list shows after it. */
const secretKeyPattern = /\bc(?:ik|fk|ts|is)_[0-9A-Za-z]{16,}/;

interface Received {
  readonly method: string;
  readonly url: string;
  readonly body: string;
}

/** Every answer from Cairn the app's pages receive, read in full. */
function recordAnswers(context: BrowserContext, cairnUrl: string): () => Promise<Received[]> {
  const received: Received[] = [];
  const pending: Promise<void>[] = [];
  context.on("response", (response: Response) => {
    if (!response.url().startsWith(cairnUrl)) return;
    pending.push(
      response
        .text()
        .then((body) => {
          received.push({ method: response.request().method(), url: response.url(), body });
        })
        .catch(() => undefined),
    );
  });
  return async () => {
    await Promise.all(pending);
    return received;
  };
}

async function checkAccessibility(page: Page, screen: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe-core's global, injected above
    const result = await (window as any).axe.run(document, { resultTypes: ["violations"] });
    return (result.violations as Array<{ id: string; impact: string; help: string; nodes: unknown[] }>)
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map(
        (violation) => `${violation.id} (${violation.impact}): ${violation.help} ×${violation.nodes.length}`,
      );
  });
  assert.deepEqual(violations, [], `axe-core on ${screen}`);
}

/** Light and dark, wide and phone-sized, each screen as a PNG; and axe-core in both schemes. */
async function lookAt(page: Page, screen: string): Promise<void> {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await checkAccessibility(page, `${screen} (${colorScheme})`);
    for (const [width, height] of [
      [1280, 900],
      [390, 844],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.screenshot({
        path: path.join(screenshots, `${screen}-${colorScheme}-${width}.png`),
        fullPage: true,
      });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

function customerPage(snippetText: string, visitorId: string): string {
  const initialize = `pendo.initialize({ visitor: { id: '${visitorId}' }, account: { id: 'acme' } });`;
  const withVisitor = snippetText.replace(/pendo\.initialize\(\{[\s\S]*?\n {2}\}\);/, () => initialize);
  assert.notEqual(withVisitor, snippetText, "the copied snippet has its initialize example");
  return `<!doctype html><html><head><title>Customer app</title>${withVisitor}</head><body><h1>Customer</h1></body></html>`;
}

/** Loads the customer's page (another origin) as one visitor and waits until its page load was sent. */
async function visit(context: BrowserContext, snippetText: string, visitorId: string): Promise<void> {
  // Every visit opens the customer's /app/dashboard (the page server answers any path with the page).
  const served: { server: Server; origin: string } = await servePage(customerPage(snippetText, visitorId));
  const page = await context.newPage();
  try {
    const beacon = page.waitForRequest((request) => /\/data\/ptm\.gif\//.test(request.url()), {
      timeout: 20_000,
    });
    await page.goto(`${served.origin}/app/dashboard`);
    await beacon;
  } finally {
    await page.close();
    served.server.close();
  }
}

async function totalVisitors(page: Page, search: string): Promise<string> {
  await page.goto(search);
  return (await page.getByTestId("total-visitors").textContent({ timeout: 10_000 })) ?? "";
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

test("the web app in Chromium: sign-in link, install check, integration key once, Exclude List on the dashboard; accessible, no key leaks", async () => {
  const dataDir = path.join(work, "data");
  mkdirSync(dataDir);
  // The guide editor's anchor check reads a page served on this machine: the operator allows loopback.
  const cairn = await startCairn(dataDir, work, { CAIRN_WEBHOOK_ALLOW: "127.0.0.1" });
  const context = await launchChromium(path.join(work, "profile"));
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: cairn.url });
  const received = recordAnswers(context, cairn.url);
  const cspErrors: string[] = [];
  const page = await context.newPage();
  try {
    page.on("pageerror", (error) => console.log(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") console.log(`console: ${message.text()}`);
      if (message.type() === "error" && /Content Security Policy/i.test(message.text()))
        cspErrors.push(message.text());
    });
    await page.setViewportSize({ width: 1280, height: 900 });

    // The one-time link sets the password and opens the app, signed in.
    const link = /(http:\/\/127\.0\.0\.1:\d+\/admin\/sign-in\?token=[\w-]+)/.exec(cairn.banner)?.[1];
    assert.ok(link, cairn.banner);
    await page.goto(link);
    await page.locator("#password").fill("correct horse battery staple");
    await page.locator("#confirm").fill("correct horse battery staple");
    await page.getByRole("button", { name: "Sign in and set password" }).click();
    await page.waitForURL(`${cairn.url}/`);
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    // Before any event, the dashboard waits for it and shows the snippet.
    await page.getByRole("heading", { name: "Waiting for the first event" }).waitFor();
    await lookAt(page, "dashboard-empty");

    // Install Settings: copy the snippet; the check turns green after the page that runs it sends a beacon.
    await page.goto(`${cairn.url}/settings/install`);
    const check = page.getByTestId("last-event");
    await check.filter({ hasText: "Waiting for the first event" }).waitFor();
    await page.getByRole("button", { name: "Copy snippet" }).click();
    await page.getByText("Copied", { exact: true }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.ok(copied.includes(`'${cairn.appKey}'`) && copied.includes(`${cairn.url}/agent/static/`), copied);
    await lookAt(page, "install-settings-waiting");
    await visit(context, copied, "v-install");
    await check.filter({ hasText: "Last event received" }).waitFor({ timeout: 20_000 });
    assert.match((await check.getAttribute("class")) ?? "", /\bok\b/);
    await lookAt(page, "install-settings-received");

    // Integration Keys: the owner turns them on, adds one, sees it once, then only its first characters.
    await page.goto(`${cairn.url}/settings/integration-keys`);
    await page.getByRole("switch", { name: /Integration keys are off/ }).click();
    await page.getByRole("switch", { name: /Integration keys are on/ }).waitFor();
    await page.getByLabel("Description (required)").fill("Warehouse export");
    await page.getByLabel("Allow write access").check();
    await page.getByRole("button", { name: "+ Add Integration Key" }).click();
    const key = (await page.getByTestId("new-key").textContent()) ?? "";
    assert.match(key, /^cik_/);
    await page.getByText("you will not see this again").waitFor();
    await lookAt(page, "integration-key-shown-once");
    const verify = () =>
      fetch(`${cairn.url}/api/v1/token/verify`, { headers: { "x-pendo-integration-key": key } }).then(
        (r) => r.status,
      );
    assert.equal(await verify(), 200);
    await page.getByRole("button", { name: "I have copied it" }).click();
    const row = page.getByRole("row").filter({ hasText: "Warehouse export" });
    await row.getByText(`${key.slice(0, 8)}…`).waitFor();
    assert.ok(!(await page.content()).includes(key), "the key is gone from the page");
    await page.reload();
    await row.waitFor();
    assert.ok(!(await page.content()).includes(key), "a reload does not bring the key back");
    await row.getByRole("cell", { name: "read and write" }).waitFor();
    await lookAt(page, "integration-keys");

    // Revoke, after a confirmation; the API refuses the key from then on.
    await row.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
    await row.getByText("revoked").waitFor();
    await eventually("the revoked key is refused", async () => (await verify()) === 401);

    // Exclude List: visitors qa-* from now on; qa-1 visits, and so does real-1.
    await page.goto(`${cairn.url}/settings/exclude-list`);
    await page.getByLabel("Kind").selectOption("visitor");
    await page.getByLabel("Pattern").fill("qa-*");
    await page.getByLabel("Note (optional)").fill("our test robots");
    await page.getByRole("button", { name: "Add rule" }).click();
    await page.getByRole("row").filter({ hasText: "qa-*" }).waitFor();
    await lookAt(page, "exclude-list");
    await visit(context, copied, "qa-1");
    await visit(context, copied, "real-1");

    // The dashboard counts v-install and real-1; with excluded traffic shown, qa-1 too.
    await eventually("the dashboard counts qa-1 with excluded traffic shown", async () => {
      return (await totalVisitors(page, `${cairn.url}/?range=7d&excluded=show`)) === "3";
    });
    assert.equal(await totalVisitors(page, `${cairn.url}/?range=7d`), "2");
    await page.locator(".chart[data-drawn]").waitFor();
    await lookAt(page, "dashboard");
    await page.getByRole("switch", { name: "Show excluded traffic" }).click();
    await page.waitForURL(/excluded=show/);
    await page.getByTestId("total-visitors").filter({ hasText: "3" }).waitFor();

    // A page rule counts the stored page loads before it is saved (Exclude List applied: qa-1 is left out).
    await page.goto(`${cairn.url}/pages`);
    await page.getByText("No pages yet.").waitFor();
    await lookAt(page, "pages-empty");
    await page.getByRole("link", { name: "+ Tag a page" }).click();
    await page.getByLabel("Name").fill("Customer dashboard");
    await page.getByLabel("URL rules, one a line").fill("//*/app/dashboard");
    const liveCount = page.getByTestId("live-count");
    await liveCount.filter({ hasText: /by 2 visitors in the last 30 days\.$/ }).waitFor();
    await lookAt(page, "page-editor");
    await page.getByLabel("URL rules, one a line").fill("//bad host!/app");
    await page.getByRole("alert").waitFor();
    await page.getByLabel("URL rules, one a line").fill("//*/app/dashboard");
    await liveCount.filter({ hasText: /by 2 visitors/ }).waitFor();
    await page.getByRole("button", { name: "Tag page" }).click();
    await page.waitForURL(`${cairn.url}/pages`);
    const pageRow = page.getByRole("row").filter({ hasText: "Customer dashboard" });
    await pageRow.getByRole("cell", { name: "new" }).waitFor();
    await lookAt(page, "pages");
    await page.goto(`${cairn.url}/?range=7d`);
    await page.getByRole("list").filter({ hasText: "Customer dashboard" }).waitFor();

    // An idea from the Feedback API moves to "planned" on the board; the API sees it.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        cliPath,
        "keys",
        "create",
        "--kind",
        "feedback",
        "--description",
        "e2e",
        "--json",
        "--data-dir",
        dataDir,
      ],
      { cwd: work },
    );
    const feedbackKey = (JSON.parse(stdout) as { key: string }).key;
    const created = await fetch(`${cairn.url}/api/v1/ideas`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-pendo-integration-key": feedbackKey },
      body: JSON.stringify({
        title: "Dark mode",
        details: "Please",
        user: { id: "u1", email: "u1@example.com" },
      }),
    });
    assert.equal(created.status, 201);
    const ideaId = ((await created.json()) as { id: string }).id;
    await page.goto(`${cairn.url}/ideas`);
    await page.getByRole("link", { name: "Dark mode" }).click();
    await page.getByRole("heading", { level: 1, name: "Dark mode" }).waitFor();
    await page.getByLabel("Status").selectOption("planned");
    await page.getByRole("button", { name: "Change status" }).click();
    await page.getByRole("main").locator(".badge.status-planned").first().waitFor();
    await lookAt(page, "idea-details");
    const read = await fetch(`${cairn.url}/api/v1/ideas/${ideaId}`, {
      headers: { "x-pendo-integration-key": feedbackKey },
    });
    assert.equal(((await read.json()) as { status: string }).status, "planned");
    await page.goto(`${cairn.url}/ideas`);
    await page.getByRole("button", { name: "Planned" }).click();
    await page.getByRole("link", { name: "Dark mode" }).waitFor();
    await lookAt(page, "ideas");

    // Visitors and accounts, their profiles, and the query page.
    await page.goto(`${cairn.url}/visitors`);
    await page.getByRole("link", { name: "real-1" }).click();
    await page.getByRole("heading", { level: 1, name: "Visitor real-1" }).waitFor();
    await page.getByRole("heading", { name: "Recent activity" }).waitFor();
    await lookAt(page, "visitor-profile");
    await page.getByRole("link", { name: "acme" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Account acme" }).waitFor();
    await page.getByRole("link", { name: "real-1" }).waitFor();
    await lookAt(page, "account-profile");
    for (const [screen, address, ready] of [
      ["visitors", "/visitors", "v-install"],
      ["accounts", "/accounts", "acme"],
      ["features", "/features", "No features yet."],
      ["track-events", "/track-events", "No track events yet."],
    ] as const) {
      await page.goto(`${cairn.url}${address}`);
      await page.getByText(ready, { exact: true }).first().waitFor();
      await lookAt(page, screen);
    }
    await page.goto(`${cairn.url}/query`);
    await page.getByLabel("Group by").selectOption("visitorId");
    await page.getByRole("cell", { name: "real-1" }).waitFor();
    const pipelineJson = JSON.parse((await page.locator("pre code").textContent()) ?? "{}");
    assert.deepEqual(pipelineJson.request.pipeline[1], {
      group: { group: ["visitorId"], fields: { visitors: { count: "visitorId" } } },
    });
    await lookAt(page, "query");

    // Users: the owner adds one (a one-time link to hand over), then gives them integration key access.
    await page.goto(`${cairn.url}/settings/users`);
    await page.getByLabel("Email").fill("pm@example.com");
    await page.getByLabel("Name").fill("Product Manager");
    await page.getByLabel("Role", { exact: true }).selectOption("admin");
    await page.getByRole("button", { name: "Add user" }).click();
    await page.getByText("pm@example.com is added.").waitFor();
    await page.getByLabel("Integration key access for pm@example.com").click();
    await page
      .getByLabel("Integration key access for pm@example.com")
      .and(page.locator(":checked"))
      .waitFor();
    await page.getByLabel("Role of pm@example.com").selectOption("member");
    await page.getByLabel("Integration key access for pm@example.com").waitFor();
    await page
      .getByRole("row")
      .filter({ hasText: "pm@example.com" })
      .getByRole("button", { name: "New sign-in link" })
      .click();
    await page.getByRole("dialog").getByRole("button", { name: "Make the link" }).click();
    await page.getByText("A new link for pm@example.com.").waitFor();
    await lookAt(page, "users");
    await eventually("the user's role and access are saved", async () => {
      const list = (await (await page.request.get(`${cairn.url}/api/admin/users`)).json()).users as {
        email: string;
        role: string;
        integrationKeyAccess: boolean;
      }[];
      const pm = list.find((user) => user.email === "pm@example.com");
      return pm?.role === "member" && pm.integrationKeyAccess;
    });

    // Guides: a draft with two steps (a lightbox, then a tooltip with an NPS poll), previewed as it is written;
    // a hostile image URL is refused beside its field; then staged for a test visitor and published.
    await page.goto(`${cairn.url}/guides`);
    await page.getByText("No guides yet.").waitFor();
    await lookAt(page, "guides-empty");
    await page.getByRole("link", { name: "+ New guide" }).click();
    await page.getByRole("heading", { level: 1, name: "New guide" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Welcome tour");
    const step1 = page.getByRole("region", { name: "Step 1" });
    await step1.getByLabel("Heading", { exact: true }).fill("Welcome to Cairn");
    await step1.getByRole("button", { name: "+ Text" }).click();
    await step1.getByLabel("Text (plain text; line breaks kept)").fill("Reports are now <b>faster</b>.");
    await step1.getByRole("button", { name: "+ Button" }).click();
    const preview1 = step1.getByTestId("step-preview");
    await preview1.getByRole("heading", { name: "Welcome to Cairn" }).waitFor();
    // Text stays text: the markup typed shows as characters, never as a bold element.
    await preview1.getByText("Reports are now <b>faster</b>.").waitFor();
    assert.equal(await preview1.locator("b").count(), 0);
    await preview1.getByRole("button", { name: "Next" }).waitFor();
    await page.getByRole("button", { name: "+ Add a step" }).click();
    const step2 = page.getByRole("region", { name: "Step 2" });
    await step2.getByLabel("Shown as").selectOption("tooltip");
    await step2.getByLabel("Heading", { exact: true }).fill("Your reports");
    await step2.getByLabel(/^Anchor:/).fill("h1");
    const customer = await servePage("<!doctype html><title>App</title><h1 id='top'>Customer</h1><p>Hi</p>");
    try {
      await page
        .getByLabel("A page of your app, to check selectors on (optional)")
        .fill(`${customer.origin}/app`);
      await step2.getByRole("button", { name: "Count matches of the anchor" }).click();
      await step2.getByTestId("anchor-count").filter({ hasText: "a good anchor" }).waitFor();
      await step2.getByText('h1#top "Customer"').waitFor();
    } finally {
      customer.server.close();
    }
    await step2.getByRole("button", { name: "+ Poll" }).click();
    await step2.getByLabel("Question").fill("How likely are you to recommend us?");
    await step2.getByLabel("Answer", { exact: true }).selectOption("nps");
    await step2.getByRole("button", { name: "+ Button" }).click();
    await step2.getByLabel("Button label").fill("Send");
    await step2.getByLabel("When clicked").selectOption("submitPoll");
    const preview2 = step2.getByTestId("step-preview");
    await preview2.getByText("How likely are you to recommend us?").waitFor();
    assert.equal(await preview2.getByRole("radio").count(), 11);
    await step2.getByRole("button", { name: "+ Image" }).click();
    await step2.getByLabel("Image URL (https://…)").fill("javascript:alert(1)");
    await step2.getByLabel("What it shows (alt text)").fill("a chart");
    assert.equal(await preview2.locator("img").count(), 0, "no image from a javascript: URL");
    await page.getByLabel(/^Staged visitors/).fill("qa-1");
    await page.getByRole("button", { name: "Create draft" }).click();
    // The server refuses text that looks like markup, and a javascript: URL, each named beside its field.
    await step1
      .locator(".field-problem")
      .filter({ hasText: /looks like markup/ })
      .waitFor();
    await step1.getByLabel("Text (plain text; line breaks kept)").fill("Reports are now faster.");
    await page.getByRole("button", { name: "Create draft" }).click();
    await step2
      .locator(".field-problem")
      .filter({ hasText: /javascript: URL/ })
      .waitFor();
    await lookAt(page, "guide-editor-error");
    await step2.getByRole("button", { name: "Remove image" }).click();
    await page.getByRole("button", { name: "Create draft" }).click();
    await page.waitForURL(/\/guides\/gde_/);
    await page.getByRole("heading", { level: 1, name: "Welcome tour" }).waitFor();
    await page.getByRole("heading", { name: "State: Draft" }).waitFor();
    await page.getByRole("heading", { name: "Guide analytics" }).waitFor();
    await page.getByTestId("nps").waitFor();
    await lookAt(page, "guide-editor");
    await page.getByRole("button", { name: "Stage for test visitors" }).click();
    await page.getByRole("heading", { name: "State: Staged" }).waitFor();
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByRole("heading", { name: "State: Public" }).waitFor();
    await page.getByText("Saved; the guide is public.").waitFor();
    const guides = (await (await page.request.get(`${cairn.url}/api/admin/guides`)).json()).guides as {
      state: string;
      steps: { type: string; elementPathRule: string }[];
      polls: { type: string }[];
      stagedVisitorIds: string[];
    }[];
    assert.deepEqual(
      guides.map((g) => [
        g.state,
        g.steps.map((s) => [s.type, s.elementPathRule]),
        g.polls.map((p) => p.type),
        g.stagedVisitorIds,
      ]),
      [
        [
          "public",
          [
            ["lightbox", ""],
            ["tooltip", "h1"],
          ],
          ["nps"],
          ["qa-1"],
        ],
      ],
    );
    // Three visitors go through it; the guide's page counts them per step and scores their NPS answers.
    const [guide] = (await (await page.request.get(`${cairn.url}/api/admin/guides`)).json()).guides as {
      id: string;
      steps: { id: string }[];
    }[];
    assert.ok(guide);
    const [first, second] = guide.steps.map((step) => step.id);
    const guideEvent = (visitorId: string, type: string, stepId: string | undefined, props = {}) => ({
      type,
      visitor_id: visitorId,
      account_id: "acme",
      browser_time: Date.now(),
      url: "http://127.0.0.1/app/dashboard",
      props: { guide_id: guide.id, guide_step_id: stepId, ...props },
    });
    const answered = (visitorId: string, score: number) => [
      guideEvent(visitorId, "guideSeen", first),
      guideEvent(visitorId, "guideAdvanced", first),
      guideEvent(visitorId, "guideSeen", second),
      guideEvent(visitorId, "pollResponse", second, {
        poll_id: "poll-1",
        poll_type: "NPSRating",
        poll_response: score,
      }),
    ];
    const events = [
      ...answered("g-1", 10),
      ...answered("g-2", 9),
      ...answered("g-3", 3),
      guideEvent("g-4", "guideSeen", first),
      guideEvent("g-4", "guideDismissed", first),
    ];
    const beacon = await fetch(
      `${cairn.url}/data/guide.gif/${cairn.appKey}?v=2.291.4_prod&ct=${Date.now()}&jzb=${encodeJzb(events)}`,
    );
    assert.equal(beacon.status, 200);
    await eventually("the guide's page counts the visitors", async () => {
      await page.reload();
      return (await page.getByTestId("nps").textContent({ timeout: 10_000 }))?.includes("NPS 33") ?? false;
    });
    const firstStep = page.getByRole("row").filter({ hasText: "1. lightbox" });
    assert.deepEqual(await firstStep.getByRole("cell").allTextContents(), ["1. lightbox", "4", "3", "1"]);
    await lookAt(page, "guide-analytics");

    await page.goto(`${cairn.url}/guides`);
    const guideRow = page.getByRole("row").filter({ hasText: "Welcome tour" });
    await guideRow.getByText("Public").waitFor();
    await lookAt(page, "guides");

    // Subscription: the owner spaces automatic guides four hours apart.
    await page.goto(`${cairn.url}/settings/subscription`);
    await page.getByLabel(/^Automatic guides/).fill("4");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("A visitor sees at most one automatic guide per 4 hours.").waitFor();

    // Segments: a rule on the visitors' metadata, previewed as it is built, saved, refreshed after another
    // visitor matches, and offered in the guide editor's segment picker.
    const meta = (visitorId: string, role: string) => ({
      type: "meta",
      visitor_id: visitorId,
      account_id: "acme",
      browser_time: Date.now(),
      url: "http://127.0.0.1/app/dashboard",
      props: { visitor: { id: visitorId, role }, account: { id: "acme" } },
    });
    const sendMeta = async (events: unknown[]) => {
      const sent = await fetch(
        `${cairn.url}/data/ptm.gif/${cairn.appKey}?v=2.291.4_prod&ct=${Date.now()}&jzb=${encodeJzb(events)}`,
      );
      assert.equal(sent.status, 200);
    };
    const roleOf = async (visitorId: string) => {
      const answer = await page.request.get(`${cairn.url}/api/admin/visitors/${visitorId}`);
      if (!answer.ok()) return undefined;
      return ((await answer.json()) as { metadata?: { agent?: { role?: string } } }).metadata?.agent?.role;
    };
    await sendMeta([meta("seg-ann", "admin"), meta("seg-bob", "admin"), meta("seg-cat", "viewer")]);
    await eventually("the visitors' metadata is stored", async () => (await roleOf("seg-cat")) === "viewer");
    await page.goto(`${cairn.url}/segments`);
    await page.getByText("No segments yet.").waitFor();
    await lookAt(page, "segments-empty");
    await page.getByRole("link", { name: "+ New segment" }).click();
    await page.getByRole("heading", { level: 1, name: "New segment" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Admins");
    await page.getByLabel("Field of condition 1").fill("metadata.agent.role");
    await page.getByLabel("Value of condition 1").fill("admin");
    const rulePreview = page.getByTestId("rule-preview");
    await rulePreview.filter({ hasText: "Matches 2 visitors now." }).waitFor();
    await rulePreview.getByText("seg-ann").waitFor();
    await page.getByRole("button", { name: "+ Add condition" }).click();
    await page.getByLabel("Field of condition 2").fill("visitorId");
    await page.getByLabel("Operator of condition 2").selectOption("notEquals");
    await page.getByLabel("Value of condition 2").fill('seg-bob" || true || "');
    await rulePreview.filter({ hasText: "Matches 2 visitors now." }).waitFor();
    await page.getByLabel("Value of condition 2").fill("seg-bob");
    await rulePreview.filter({ hasText: "Matches 1 visitor now." }).waitFor();
    await lookAt(page, "segment-builder");
    await page.getByRole("button", { name: "Remove condition 2" }).click();
    await rulePreview.filter({ hasText: "Matches 2 visitors now." }).waitFor();
    await page.getByRole("button", { name: "Save segment" }).click();
    await page.waitForURL(/\/segments\/seg_/);
    await page.getByRole("heading", { level: 1, name: "Admins" }).waitFor();
    await page.getByTestId("segment-members").filter({ hasText: "2" }).waitFor();
    await sendMeta([meta("seg-dan", "admin")]);
    await eventually("seg-dan's metadata is stored", async () => (await roleOf("seg-dan")) === "admin");
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.getByTestId("segment-members").filter({ hasText: "3" }).waitFor();
    await lookAt(page, "segment-page");
    await page.goto(`${cairn.url}/segments`);
    const segmentRow = page.getByRole("row").filter({ hasText: "Admins" });
    await segmentRow.getByText('metadata.agent.role equals "admin"').waitFor();
    assert.deepEqual((await segmentRow.getByRole("cell").allTextContents()).slice(0, 2), ["Admins", "3"]);
    await lookAt(page, "segments");
    await page.goto(`${cairn.url}/guides/new`);
    const picker = page.getByLabel("Visitors", { exact: true });
    await picker.selectOption({ label: "Segment: Admins" });
    assert.equal(
      await page.getByRole("link", { name: "New segment…" }).getAttribute("href"),
      "/segments/new",
    );

    // The other screens, looked at.
    for (const [screen, address, heading] of [
      ["feature-editor", "/features/new", "Tag a feature"],
      ["not-found", "/no/such/screen", "Nothing here"],
      ["feedback-api-access", "/feedback-settings/api-access", "API Access"],
      ["audit-log", "/settings/audit-log", "Audit Log"],
      ["subscription", "/settings/subscription", "Subscription"],
    ] as const) {
      await page.goto(`${cairn.url}${address}`);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      await page.locator("[aria-busy=true]").first().waitFor({ state: "detached" });
      await lookAt(page, screen);
    }
    const [app] = (await (await page.request.get(`${cairn.url}/api/admin/apps`)).json()).apps as {
      id: string;
    }[];
    await page.goto(`${cairn.url}/settings/apps/${app?.id}`);
    await page.getByRole("heading", { name: "Track event secret" }).waitFor();
    await lookAt(page, "app-details");

    // Signed out, the app shows its own sign-in form.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to Cairn" }).waitFor();
    await lookAt(page, "sign-in");

    assert.deepEqual(cspErrors, [], "the app runs under its Content-Security-Policy");
    const leaks = (await received())
      .filter((answer) => secretKeyPattern.test(answer.body))
      .map((answer) => `${answer.method} ${answer.url.replace(cairn.url, "")}`);
    assert.deepEqual(leaks, ["POST /api/admin/keys"], "only the answer that creates the key holds it");
    console.log(`screenshots of every screen, light and dark, 1280 and 390 px: ${screenshots}`);
  } catch (error) {
    // What the screen showed when it failed, beside the others.
    await page.screenshot({ path: path.join(screenshots, "failure.png"), fullPage: true });
    console.log(`screenshots, and failure.png of the moment it failed: ${screenshots}`);
    throw error;
  } finally {
    await context.close();
    await cairn.stop();
  }
});
