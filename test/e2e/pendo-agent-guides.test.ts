/**
 * Pendo's own agent (`@pendo/agent` 2.291.4, loaded as its npm package documents) against the built
 * `cairn start`: a three-step walkthrough with a poll, authored with `cairn guides`, is displayed by Pendo's
 * agent, advanced, answered and dismissed, and its guide events are stored. A new browser profile for the same
 * visitor then gets the guide with its steps marked from those events, and Pendo's agent does not show it again.
 */

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import { cliPath, launchChromium, startCairn, storedEvents } from "./browser-support.js";

const work = mkdtempSync(path.join(tmpdir(), "cairn-e2e-pendo-guides-"));
after(() => rmSync(work, { recursive: true, force: true }));

const screenshots = mkdtempSync(path.join(tmpdir(), "cairn-screens-pendo-guides-"));
const pendoDist = path.dirname(createRequire(import.meta.url).resolve("@pendo/agent/dist/servers.json"));

async function cli(dataDir: string, ...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [cliPath, ...args, "--json", "--data-dir", dataDir],
    {
      cwd: work,
    },
  );
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** The walkthrough of agent-wire.md §7.3: a welcome, a free-text poll, a last step that closes. */
const walkthrough = {
  name: "Welcome tour",
  launchMethod: "auto",
  polls: [{ id: "poll1", type: "freeText", question: "What brought you here?" }],
  steps: [
    {
      type: "lightbox",
      content: {
        blocks: [
          { type: "heading", text: "Welcome!", level: 2 },
          { type: "button", label: "Next", action: { type: "advanceGuide" } },
        ],
      },
    },
    {
      type: "lightbox",
      content: {
        blocks: [
          { type: "poll", pollId: "poll1" },
          { type: "button", label: "Send", action: { type: "submitPoll" } },
        ],
      },
    },
    {
      type: "lightbox",
      content: {
        blocks: [
          { type: "text", text: "That's all." },
          { type: "button", label: "Done", action: { type: "dismissGuide" } },
        ],
      },
    },
  ],
};

/**
 * The customer's page, on its own origin, with Pendo's agent module and its guide CSS served beside it (no CDN):
 * `loadAgent` gets the config its setup.js would build, with Cairn as the data host.
 */
async function servePendoPage(
  cairnUrl: string,
  appKey: string,
  visitorId: string,
): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const file =
      request.url === "/pendo.module.min.js"
        ? "pendo.module.min.js"
        : request.url === "/agent/guide.css"
          ? "guide.css"
          : null;
    if (file) {
      response.writeHead(200, { "content-type": file.endsWith(".js") ? "text/javascript" : "text/css" });
      response.end(readFileSync(path.join(pendoDist, file)));
      return;
    }
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(`<!doctype html>
<html><head><title>Customer app</title></head>
<body><h1>Customer app</h1>
<script type="module">
  import { loadAgent } from "/pendo.module.min.js";
  const pendo = loadAgent({
    apiKey: ${JSON.stringify(appKey)}, env: "io", server: ${JSON.stringify(cairnUrl)},
    dataHost: ${JSON.stringify(cairnUrl)}, assetHost: ${JSON.stringify(origin)}, assetPath: "agent",
    loadAsModule: true, excludeAllText: true, guideValidation: false,
  });
  window.pendo = pendo;
  pendo.initialize({ apiKey: ${JSON.stringify(appKey)}, visitor: { id: ${JSON.stringify(visitorId)} }, account: { id: "acme" } });
</script></body></html>`);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface PendoGuides {
  isReady(): boolean;
  flushNow(): void;
  getActiveGuide(): { guide: { id: string } } | null;
  guides?: { id: string; steps: { seenState: string }[] }[];
}
const pendoOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { pendo: PendoGuides }).pendo.isReady());

test("Pendo's own agent shows a walkthrough Cairn serves, and Cairn stores what the visitor did with it", async () => {
  const dataDir = path.join(work, "data");
  const cairn = await startCairn(dataDir, work);
  const guideFile = path.join(work, "tour.json");
  writeFileSync(guideFile, JSON.stringify(walkthrough));
  const added = await cli(dataDir, "guides", "add", guideFile);
  const guideId = String(added.id);
  const stepIds = (added.steps as { id: string }[]).map((s) => s.id);
  await cli(dataDir, "guides", "state", guideId, "public");

  const page = await servePendoPage(cairn.url, cairn.appKey, "v-pendo");
  const first = await launchChromium(path.join(work, "profile-1"));
  const second = await launchChromium(path.join(work, "profile-2"));
  try {
    const tab = first.pages()[0] ?? (await first.newPage());
    await tab.goto(`${page.origin}/`);
    await tab.waitForFunction(() => (window as unknown as { pendo?: PendoGuides }).pendo?.isReady?.());
    assert.equal(await pendoOf(tab), true);

    // Step 1, displayed by Pendo's agent from the building-block domJson Cairn served.
    const step1 = tab.locator(`#pendo-g-${stepIds[0]}`);
    await step1.waitFor({ state: "visible", timeout: 15_000 });
    assert.equal(await step1.locator("h2").textContent(), "Welcome!");
    await tab.screenshot({ path: path.join(screenshots, "pendo-agent-step-1.png") });
    await step1.getByRole("button", { name: "Next" }).click();

    // Step 2: the poll.
    const step2 = tab.locator(`#pendo-g-${stepIds[1]}`);
    await step2.waitFor({ state: "visible", timeout: 10_000 });
    await step2
      .locator('[data-pendo-poll-id="poll1"] input, [data-pendo-poll-id="poll1"] textarea')
      .first()
      .fill("great product");
    await tab.screenshot({ path: path.join(screenshots, "pendo-agent-step-2-poll.png") });
    await step2.getByRole("button", { name: "Send" }).click();

    // Step 3, closed with its button.
    const step3 = tab.locator(`#pendo-g-${stepIds[2]}`);
    await step3.waitFor({ state: "visible", timeout: 10_000 });
    await step3.getByRole("button", { name: "Done" }).click();
    await step3.waitFor({ state: "detached", timeout: 10_000 });
    await tab.evaluate(() => (window as unknown as { pendo: PendoGuides }).pendo.flushNow());
    await tab.waitForTimeout(1_500);

    // A new browser profile for the same visitor: Cairn answers the guide with its steps as this visitor left
    // them, and Pendo's agent does not show it again.
    const other = second.pages()[0] ?? (await second.newPage());
    const guideJson = other.waitForResponse((r) => r.url().includes("/data/guide.json/"));
    await other.goto(`${page.origin}/`);
    const answer = (await (await guideJson).json()) as {
      guides: { id: string; steps: { seenState: string }[] }[];
    };
    assert.deepEqual(
      answer.guides.find((g) => g.id === guideId)?.steps.map((s) => s.seenState),
      ["advanced", "advanced", "dismissed"],
    );
    await other.waitForFunction(() => (window as unknown as { pendo?: PendoGuides }).pendo?.isReady?.());
    await other.waitForTimeout(2_000);
    assert.equal(await other.locator(`#pendo-g-${stepIds[0]}`).count(), 0, "not shown again");
    assert.equal(
      await other.evaluate(() => (window as unknown as { pendo: PendoGuides }).pendo.getActiveGuide()),
      null,
    );
    console.log(`screenshots of Pendo's agent showing the walkthrough: ${screenshots}`);
  } finally {
    await first.close();
    await second.close();
    page.server.close();
    await cairn.stop();
  }

  const events = (await storedEvents(dataDir)).filter((e) => e.visitorId === "v-pendo");
  const guideEvents = events
    .filter((e) => e.type.startsWith("guide") || e.type === "pollResponse")
    .map((e) => {
      const props = (JSON.parse(e.properties) as { props: Record<string, unknown> }).props;
      return [e.type, props.guide_step_id, props.reason ?? props.seen_reason ?? props.poll_response ?? null];
    });
  const [a1, a2, a3] = stepIds;
  for (const expected of [
    ["guideSeen", a1, "auto"],
    ["guideAdvanced", a1, "auto"],
    ["guideSeen", a2, "continue"],
    ["pollResponse", a2, "great product"],
    // seen_reason stays the guide's first reason through its steps.
    ["guideAdvanced", a2, "auto"],
    ["guideSeen", a3, "continue"],
    ["guideDismissed", a3, "auto"],
  ])
    assert.ok(
      guideEvents.some((e) => JSON.stringify(e) === JSON.stringify(expected)),
      `${JSON.stringify(expected)} in ${JSON.stringify(guideEvents)}`,
    );
  assert.equal(
    guideEvents.filter((e) => e[0] === "guideSeen" && e[1] === a1).length,
    1,
    "the first step was shown once: not again in the second profile",
  );
});
