/**
 * The home dashboard after sign-in, in a real browser: BENCH_DASHBOARD_EVENTS events (default 1 M) generated in
 * a new data folder over the last 30 days (5,000 visitors, 500 accounts; 10 pages and 10 features tagged, track
 * types discovered), then the built `cairn start` on that folder, serving the built web app. Each round opens
 * `/` in Debian's Chromium (headless, a fresh profile: no cache), fills the app's own sign-in form and times,
 * inside the page, from the form's submit to the moment the dashboard's chart is drawn, its totals are filled
 * and its three top lists show rows, nothing loading (the range it opens with: last 30 days). The baseline, in
 * the same run and alternating with it, BENCH_ROUNDS times each: the same sign-in and the same five
 * aggregations (the request bodies the page sent, captured in a first round that is not counted) through
 * `POST /api/admin/aggregation`, in parallel, by `fetch` from Node. The ratio shows what the browser, React and
 * the chart add. Goal: the dashboard drawn in under 1 s at 1 M events.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig, startCairn } from "@cairn/server";
import { type BrowserContext, chromium } from "playwright-core";
import { generateEvents, integrationApi, tagSectionsAndButtons } from "./seed-events.js";
import { describeMachine, median, spread } from "./stats.js";

const eventCount = Number(process.env.BENCH_DASHBOARD_EVENTS ?? 1_000_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const visitors = 5_000;
const accounts = 500;
/** Keeps the data folder for a look afterwards (its folder is printed). */
const keep = process.env.BENCH_KEEP === "1";
const goalMs = 1000;

const root = fileURLToPath(new URL("../..", import.meta.url));
const cairnCli = path.join(root, "packages/server/dist/cli/main.js");
const webAppIndex = path.join(root, "packages/web/dist/index.html");
const chromiumPath = process.env.CAIRN_CHROMIUM ?? "/usr/bin/chromium";
// As test/e2e/browser-support.ts starts it.
const chromiumFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const password = "correct horse battery staple";

interface Timings {
  /**
   * `performance.now()` in the page: at the sign-in form's submit; the totals and top lists filled; the chart
   * drawn; all of it, nothing loading (the dashboard drawn).
   */
  submitAt: number;
  listsAt?: number;
  chartAt?: number;
  drawnAt?: number;
  failed?: string;
}

/**
 * Runs in the page before its own scripts: on the sign-in form's submit, notes the time and watches the DOM
 * until the dashboard is complete; the mutation that completes it is when it was drawn (uPlot marks its chart
 * `data-drawn` from its draw hook, right after painting the canvas). Playwright sends it as source text, and
 * tsx names every function held in a `const` with a helper the page lacks: no such functions in here.
 */
function watchDashboard(): void {
  const state: Partial<Timings> = {};
  Object.assign(window, { cairnBench: state });
  window.addEventListener(
    "submit",
    () => {
      if (state.submitAt !== undefined) return;
      state.submitAt = performance.now();
      const observer = new MutationObserver(() => {
        const now = performance.now();
        const alert = document.querySelector('[role="alert"]');
        if (alert) {
          state.failed = alert.textContent ?? "an error";
          observer.disconnect();
          return;
        }
        if (
          state.listsAt === undefined &&
          (document.querySelector("[data-testid=total-visitors]")?.textContent ?? "") !== "" &&
          ["top-pages-title", "top-features-title", "track-events-title"].every(
            (id) => document.querySelector(`section[aria-labelledby="${id}"] ol.bars li`) !== null,
          )
        )
          state.listsAt = now;
        if (state.chartAt === undefined && document.querySelector(".chart[data-drawn]") !== null)
          state.chartAt = now;
        if (
          state.listsAt !== undefined &&
          state.chartAt !== undefined &&
          document.querySelector('[aria-busy="true"]') === null
        ) {
          state.drawnAt = now;
          observer.disconnect();
        }
      });
      observer.observe(document.documentElement, {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
    },
    true,
  );
}

interface BrowserRound {
  readonly totalMs: number;
  /**
   * From Resource Timing, in ms from the submit: the sign-in's answer, the first and the last aggregation sent,
   * the last one answered, the chart's code (a chunk loaded with the first chart drawn) received.
   */
  readonly signedInMs: number;
  readonly firstSentMs: number;
  readonly lastSentMs: number;
  readonly lastAnswerMs: number;
  readonly chartCodeMs: number;
  /** From the submit: the totals and the three top lists filled; the chart drawn. */
  readonly listsMs: number;
  readonly chartMs: number;
  readonly totalVisitors: string;
  readonly chromiumVersion: string;
  /** The bodies of the aggregations the page sent. */
  readonly bodies: string[];
}

async function launchChromium(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    viewport: { width: 1280, height: 900 },
  });
}

async function browserRound(url: string, email: string, profileDir: string): Promise<BrowserRound> {
  const context = await launchChromium(profileDir);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const bodies: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && new URL(request.url()).pathname === "/api/admin/aggregation")
        bodies.push(request.postData() ?? "");
    });
    await page.addInitScript(watchDashboard);
    await page.goto(`${url}/`);
    await page.getByRole("heading", { name: "Sign in to Cairn" }).waitFor();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForFunction(
      () => {
        const state = (window as unknown as { cairnBench: Partial<Timings> }).cairnBench;
        return state.drawnAt !== undefined || state.failed !== undefined;
      },
      null,
      { timeout: 120_000 },
    );
    const seen = await page.evaluate(() => {
      const state = (window as unknown as { cairnBench: Timings }).cairnBench;
      const starts: Record<string, number> = {};
      const lastStarts: Record<string, number> = {};
      const ends: Record<string, number> = {};
      for (const entry of performance.getEntriesByType("resource") as PerformanceResourceTiming[]) {
        if (entry.startTime < state.submitAt) continue;
        const pathname = new URL(entry.name).pathname.replace(/^\/assets\/line-chart-.*/, "chart");
        starts[pathname] = Math.min(starts[pathname] ?? Number.POSITIVE_INFINITY, entry.startTime);
        lastStarts[pathname] = Math.max(lastStarts[pathname] ?? 0, entry.startTime);
        ends[pathname] = Math.max(ends[pathname] ?? 0, entry.responseEnd);
      }
      return {
        ...state,
        signedIn: ends["/api/admin/sign-in"] ?? Number.NaN,
        firstSent: starts["/api/admin/aggregation"] ?? Number.NaN,
        lastSent: lastStarts["/api/admin/aggregation"] ?? Number.NaN,
        lastAnswer: ends["/api/admin/aggregation"] ?? Number.NaN,
        chartCode: ends.chart ?? Number.NaN,
        totalVisitors: document.querySelector("[data-testid=total-visitors]")?.textContent ?? "",
      };
    });
    if (seen.failed !== undefined || seen.drawnAt === undefined)
      throw new Error(`the dashboard showed an error: ${seen.failed}`);
    return {
      totalMs: seen.drawnAt - seen.submitAt,
      signedInMs: seen.signedIn - seen.submitAt,
      firstSentMs: seen.firstSent - seen.submitAt,
      lastSentMs: seen.lastSent - seen.submitAt,
      lastAnswerMs: seen.lastAnswer - seen.submitAt,
      chartCodeMs: seen.chartCode - seen.submitAt,
      listsMs: (seen.listsAt ?? Number.NaN) - seen.submitAt,
      chartMs: (seen.chartAt ?? Number.NaN) - seen.submitAt,
      totalVisitors: seen.totalVisitors,
      chromiumVersion: context.browser()?.version() ?? "?",
      bodies,
    };
  } finally {
    await context.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
}

interface ApiRound {
  readonly totalMs: number;
  readonly signInMs: number;
  /** From the sign-in's answer to the last aggregation's answer, read in full. */
  readonly aggregationsMs: number;
  /** Each aggregation's answer, read in full, in ms from the batch's start (in the bodies' order). */
  readonly eachMs: number[];
  readonly answers: { results: Record<string, unknown>[] }[];
}

/** The same work without a browser: sign in with email and password, then the five aggregations at once. */
async function apiRound(url: string, email: string, bodies: string[]): Promise<ApiRound> {
  const t0 = performance.now();
  const signIn = await fetch(`${url}/api/admin/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!signIn.ok) throw new Error(`sign-in: ${signIn.status} ${await signIn.text()}`);
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const cookie = (signIn.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
  const t1 = performance.now();
  const eachMs: number[] = [];
  const answers = await Promise.all(
    bodies.map(async (body, index) => {
      const response = await fetch(`${url}/api/admin/aggregation`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, "x-csrf-token": csrfToken },
        body,
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`aggregation: ${response.status} ${text}`);
      eachMs[index] = performance.now() - t1;
      return JSON.parse(text) as { results: Record<string, unknown>[] };
    }),
  );
  const t2 = performance.now();
  return { totalMs: t2 - t0, signInMs: t1 - t0, aggregationsMs: t2 - t1, eachMs, answers };
}

/** Which of the dashboard's aggregations a body is (dashboard-queries.ts: daily, totals, three top lists). */
function nameOf(body: string): string {
  const pipeline = (JSON.parse(body) as { request: { pipeline: Record<string, Record<string, unknown>>[] } })
    .request.pipeline;
  const source = Object.keys(pipeline[0]?.source ?? {}).find((key) => key !== "timeSeries");
  if (source === "events") return pipeline.some((stage) => "reduce" in stage) ? "Totals" : "Visitors per day";
  return (
    { pageEvents: "Top pages", featureEvents: "Top features", trackEvents: "Track events" }[source ?? ""] ??
    String(source)
  );
}

/** The built `cairn start` on a data folder; its address from the banner. */
async function startCli(dataDir: string, cwd: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [cairnCli, "start", "--port", "0", "--data-dir", dataDir, "--log-level", "warn"],
    { cwd, stdio: ["ignore", "pipe", "pipe"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    // Piped, the logs are JSON lines on stdout and the banner goes to stderr: read both, and keep reading.
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Cairn is ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => reject(new Error(`cairn exited with ${code}: ${out}`)));
  });
  return { child, url };
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const msSpread = (values: number[]) => {
  const [low, high] = spread(values);
  return `${low.toFixed(0)}–${high.toFixed(0)} ms`;
};

export async function dashboard(): Promise<string> {
  if (!existsSync(webAppIndex))
    throw new Error(
      "the web app is not built: run `npm run build --workspace @cairn/web` (`npm run bench` does)",
    );
  const dir = mkdtempSync(path.join(tmpdir(), "cairn-bench-dashboard-"));
  const dataDir = path.join(dir, "data");
  mkdirSync(dataDir);
  let server: ChildProcess | undefined;
  try {
    // Generate the events and tag them with Cairn in this process, set the owner's password, stop.
    const seeding = await startCairn(loadConfig({ dataDir, port: "0", logLevel: "silent" }, {}, dir));
    let generateSeconds: number;
    const email = seeding.installation.owner.email;
    try {
      process.stderr.write(`  generating ${eventCount.toLocaleString("en")} events…\n`);
      generateSeconds = await generateEvents(seeding, {
        events: eventCount,
        visitors,
        accounts,
        now: Date.now(),
      });
      const { api } = await integrationApi(seeding);
      await tagSectionsAndButtons(api, 10);
      const token = seeding.installation.signInToken;
      if (!token) throw new Error("a new data folder gave no sign-in token");
      const link = await fetch(`${seeding.publicUrl}/api/admin/sign-in/link`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token }),
      });
      if (!link.ok) throw new Error(`sign-in link: ${link.status} ${await link.text()}`);
      const { csrfToken } = (await link.json()) as { csrfToken: string };
      const set = await fetch(`${seeding.publicUrl}/api/admin/password`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          cookie: (link.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "",
          "x-csrf-token": csrfToken,
        },
        body: JSON.stringify({ password }),
      });
      if (set.status !== 204) throw new Error(`password: ${set.status} ${await set.text()}`);
    } finally {
      await seeding.shutdown();
    }

    const cairn = await startCli(dataDir, dir);
    server = cairn.child;
    const profile = (n: number) => path.join(dir, `profile-${n}`);

    // A first round, not counted: the bodies the page sends, and both ways answer the same.
    const first = await browserRound(cairn.url, email, profile(0));
    const bodies = first.bodies;
    if (bodies.length !== 5) throw new Error(`the dashboard sent ${bodies.length} aggregations, not 5`);
    const check = await apiRound(cairn.url, email, bodies);
    check.answers.forEach((answer, index) => {
      if (answer.results.length === 0) throw new Error(`${nameOf(bodies[index] ?? "")}: no rows`);
    });
    const totals = check.answers[bodies.findIndex((body) => nameOf(body) === "Totals")]?.results[0];
    if (first.totalVisitors.replace(/\D/g, "") !== String(totals?.visitors))
      throw new Error(`the page shows ${first.totalVisitors} visitors, the API ${totals?.visitors}`);

    const browser: BrowserRound[] = [];
    const viaApi: ApiRound[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so neither always runs on a warmer server.
      const order = r % 2 === 0 ? ["browser", "api"] : ["api", "browser"];
      for (const which of order) {
        if (which === "browser") browser.push(await browserRound(cairn.url, email, profile(r + 1)));
        else viaApi.push(await apiRound(cairn.url, email, bodies));
      }
      const b = browser[r] as BrowserRound;
      const a = viaApi[r] as ApiRound;
      ratios.push(b.totalMs / a.totalMs);
      process.stderr.write(`  round ${r + 1}: browser ${ms(b.totalMs)}, API ${ms(a.totalMs)}\n`);
    }
    const browserMs = browser.map((b) => b.totalMs);
    const browserMedian = median(browserMs);
    const ratio = median(ratios);
    const measures: [string, number[]][] = [
      ["Browser: sign-in submitted → dashboard drawn", browserMs],
      ["… sign-in answered", browser.map((b) => b.signedInMs)],
      ["… first aggregation sent", browser.map((b) => b.firstSentMs)],
      ["… last aggregation sent", browser.map((b) => b.lastSentMs)],
      ["… last aggregation answered", browser.map((b) => b.lastAnswerMs)],
      ["… totals and top lists filled", browser.map((b) => b.listsMs)],
      ["… chart's code received", browser.map((b) => b.chartCodeMs)],
      ["… chart drawn", browser.map((b) => b.chartMs)],
      ["… drawn after the last answer", browser.map((b) => b.totalMs - b.lastAnswerMs)],
      ["API: sign-in, then five aggregations in parallel", viaApi.map((a) => a.totalMs)],
      ["… sign-in", viaApi.map((a) => a.signInMs)],
      ["… five aggregations", viaApi.map((a) => a.aggregationsMs)],
    ];
    const each = bodies
      .map((body, index) => ({ name: nameOf(body), ms: median(viaApi.map((a) => a.eachMs[index] ?? 0)) }))
      .sort((x, y) => y.ms - x.ms)
      .map((x) => `${x.name} ${ms(x.ms)}`);
    return [
      `### Dashboard at ${eventCount.toLocaleString("en")} events (${visitors.toLocaleString("en")} visitors, ${accounts} accounts, 30 days; ${rounds} rounds each, browser and API alternating; Chromium ${first.chromiumVersion}; ${describeMachine()}, ${cpus().length} cores)`,
      "",
      `Generated in ${generateSeconds.toFixed(1)} s. In the browser: from submitting the sign-in form at \`/\` to the dashboard drawn (chart, totals, three top lists; last 30 days), a fresh profile each round. Through the API: the same sign-in and the same five aggregations, in parallel, by \`fetch\` from Node, on the same server (the built \`cairn start\`). Medians and min–max; the ratio is the median of per-round ratios.`,
      "",
      "| Measure | Median | Min–max |",
      "|---|---|---|",
      ...measures.map(([what, values]) => `| ${what} | ${ms(median(values))} | ${msSpread(values)} |`),
      "",
      `Each aggregation in the API's parallel batch, answered after (medians): ${each.join("; ")}.`,
      "",
      `Browser / API: ${ratio.toFixed(2)}×. Goal, the dashboard drawn in under 1 s after sign-in: ${browserMedian < goalMs ? "met" : "NOT met"} (median ${ms(browserMedian)}${eventCount === 1_000_000 ? "" : `, at ${eventCount.toLocaleString("en")} events, not the goal's 1,000,000`}).`,
    ].join("\n");
  } finally {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await once(server, "exit");
    }
    if (keep) process.stderr.write(`  kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
