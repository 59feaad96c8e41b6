/**
 * The in-app feedback panel in a real browser: an admin turns it on with the CLI while `cairn start` runs; a
 * customer's page (another origin) with the install snippet shows the "Feedback" button to its identified
 * visitor; the panel's bundle is fetched only when the button is clicked; the visitor submits an idea with
 * hostile HTML in it and votes for another; then the Feedback API, with a Feedback key, lists the idea with
 * the visitor and the account attached.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { cliPath, launchChromium, servePage, snippet, startCairn } from "./browser-support.js";

const work = mkdtempSync(path.join(tmpdir(), "cairn-e2e-feedback-"));
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

const hostileTitle = `<img src=x onerror="window.__pwned=1"> Dark mode`;

function customerPage(cairnUrl: string, appKey: string): string {
  return `<!doctype html>
<html><head><title>Customer app</title>
${snippet(
  cairnUrl,
  appKey,
  "pendo.initialize({ visitor: { id: 'v-feedback', email: 'grace@example.com', full_name: 'Grace Hopper' }, account: { id: 'acme-feedback', name: 'Acme' } });",
)}
</head><body><h1>Customer app</h1></body></html>`;
}

interface ApiIdea {
  id: string;
  title: string;
  details: string;
  creator: unknown;
  votes: { count: number };
}

test("the feedback panel in Chromium: lazy-loaded, submits an idea and a vote that the Feedback API lists with visitor and account", async () => {
  const dataDir = path.join(work, "data");
  const cairn = await startCairn(dataDir, work);
  let page: { server: Server; origin: string } | undefined;
  const context = await launchChromium(path.join(work, "profile"));
  try {
    const [app] = (await cli(dataDir, "apps", "list")) as Array<{ id: string; appKey: string }>;
    assert.equal(app?.appKey, cairn.appKey);
    assert.deepEqual(await cli(dataDir, "apps", "feedback-widget", app.id, "on"), { feedbackWidget: true });
    const { key: feedbackKey } = (await cli(
      dataDir,
      "keys",
      "create",
      "--kind",
      "feedback",
      "--description",
      "e2e feedback",
    )) as { key: string };
    const api = async (method: string, route: string, body?: unknown): Promise<unknown> => {
      const response = await fetch(`${cairn.url}${route}`, {
        method,
        headers: {
          "x-pendo-integration-key": feedbackKey,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      assert.ok(response.ok, `${method} ${route}: ${response.status}`);
      return response.json();
    };
    const existing = (await api("POST", "/api/v1/ideas", { title: "Export to CSV" })) as ApiIdea;

    page = await servePage(customerPage(cairn.url, cairn.appKey));
    const tab = context.pages()[0] ?? (await context.newPage());
    const scripts: string[] = [];
    tab.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(request.url());
    });
    let dialogs = 0;
    tab.on("dialog", (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    await tab.goto(`${page.origin}/`);

    // The launcher appears for the identified visitor (the CLI's switch reaches the served agent at once).
    const launcher = tab.locator("[data-cairn-feedback] button.l");
    await launcher.waitFor({ state: "visible", timeout: 15_000 });
    assert.equal(await launcher.textContent(), "Feedback");
    assert.equal(
      scripts.some((url) => url.includes("feedback-panel.js")),
      false,
      "the panel's bundle is not loaded before it is opened",
    );

    await launcher.click();
    const dialog = tab.locator("[data-cairn-feedback] section[role=dialog]");
    await dialog.waitFor({ state: "visible", timeout: 15_000 });
    assert.ok(scripts.some((url) => url === `${cairn.url}/agent/static/${cairn.appKey}/feedback-panel.js`));
    // The idea made through the API is listed, ready for a vote.
    const existingRow = dialog.locator("li", { hasText: "Export to CSV" });
    await existingRow.waitFor({ timeout: 15_000 });

    await tab.fill("#cf-title", hostileTitle);
    await tab.fill("#cf-details", "Please <b>really</b> add it");
    await dialog.locator("button[type=submit]").click();
    await dialog.locator("p[role=status]", { hasText: "Thank you!" }).waitFor({ timeout: 15_000 });
    const firstTitle = dialog.locator("li .t").first();
    assert.equal(await firstTitle.textContent(), hostileTitle, "shown as the visitor typed it, as text");
    const shadowImages = await tab.evaluate(
      () => document.querySelector("[data-cairn-feedback]")?.shadowRoot?.querySelectorAll("img").length ?? -1,
    );
    assert.equal(shadowImages, 0, "no element was made from the title");

    const voteButton = existingRow.locator("button.v");
    assert.equal(await voteButton.getAttribute("aria-pressed"), "false");
    await voteButton.click();
    await existingRow.locator("button.v[aria-pressed=true]").waitFor({ timeout: 15_000 });
    assert.equal(await voteButton.textContent(), "▲ 1");

    await tab.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    assert.equal(await tab.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(dialogs, 0);

    const { results } = (await api("GET", "/api/v1/ideas?order_by=created_at&order_dir=asc")) as {
      results: ApiIdea[];
    };
    const submitted = results.find((idea) => idea.title === hostileTitle);
    assert.ok(submitted, `the panel's idea is listed: ${JSON.stringify(results)}`);
    assert.equal(submitted.details, "Please <b>really</b> add it");
    assert.deepEqual(submitted.creator, {
      id: "v-feedback",
      email: "grace@example.com",
      name: "Grace Hopper",
      account: { id: "acme-feedback", name: "Acme" },
    });
    assert.equal(submitted.votes.count, 1, "the visitor's own vote");
    const voted = results.find((idea) => idea.id === existing.id);
    assert.equal(voted?.votes.count, 1);
    const votes = (await api("GET", `/api/v1/ideas/${existing.id}/votes`)) as {
      results: Array<{ user: { id: string; account: { id: string } | null }; quantity: number }>;
    };
    assert.deepEqual(
      votes.results.map((v) => [v.user.id, v.user.account?.id, v.quantity]),
      [["v-feedback", "acme-feedback", 1]],
    );
  } finally {
    await context.close();
    page?.server.close();
    await cairn.stop();
  }
});
