/** What the real-browser tests share: the built `cairn start` as a child process, Chromium, and a page server. */

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { installSnippet, loadConfig } from "@cairn/server";
import { openEventStores, openMetadataStore, readEvents, type StoredEvent } from "@cairn/server/internals";
import { type BrowserContext, chromium } from "playwright-core";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const cliPath = path.join(root, "packages/server/dist/cli/main.js");

const chromiumPath = process.env.CAIRN_CHROMIUM ?? "/usr/bin/chromium";
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

export interface CairnProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly appKey: string;
  /** What it printed at start: the banner with the one-time sign-in link, and the first log lines. */
  readonly banner: string;
  stop(): Promise<void>;
}

/** Starts the built server on a free port and reads its address and app key from the banner. */
export async function startCairn(
  dataDir: string,
  cwd: string,
  env: Record<string, string> = {},
): Promise<CairnProcess> {
  const child = spawn(process.execPath, [cliPath, "start", "--port", "0", "--data-dir", dataDir], {
    cwd,
    stdio: "pipe",
    env: { ...process.env, ...env },
  });
  // Piped, the logs are JSON lines on stdout and the banner goes to stderr: read both.
  let stdout = "";
  await new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("</script>")) resolve();
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.on("exit", (code) => reject(new Error(`cairn exited ${code}: ${stdout}`)));
  });
  const url = /Cairn is ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
  const appKey = /'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'\);/.exec(stdout)?.[1];
  assert.ok(url && appKey, stdout);
  return {
    child,
    url,
    appKey,
    banner: stdout,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

/** The install snippet exactly as Cairn prints it, with the page's own `pendo.initialize` call in place of its example. */
export function snippet(cairnUrl: string, appKey: string, initialize?: string): string {
  const printed = installSnippet(cairnUrl, appKey);
  if (initialize === undefined) return printed;
  const example = /pendo\.initialize\(\{[\s\S]*?\n {2}\}\);/;
  assert.match(printed, example, "the printed snippet has its initialize example");
  return printed.replace(example, () => initialize);
}

/** Serves one HTML page on its own origin (the customer's app), apart from Cairn's. */
export async function servePage(html: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(html);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * Debian's Chromium with a fresh profile. Headless Chromium says "HeadlessChrome", which the collector rightly
 * flags as a bot; a visitor's browser does not, so pages run with the same string minus "Headless".
 */
export async function launchChromium(profileDir: string): Promise<BrowserContext> {
  const probe = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
  const userAgent = (await (await probe.newPage()).evaluate(() => navigator.userAgent)).replace(
    "HeadlessChrome",
    "Chrome",
  );
  await probe.close();
  return chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    userAgent,
  });
}

/** Every event a stopped server stored in `dataDir`, read back from its stores (its only subscription's). */
export async function storedEvents(dataDir: string): Promise<StoredEvent[]> {
  const config = loadConfig({ dataDir }, {}, root);
  const metadata = await openMetadataStore(config.metadata);
  const subscription = await metadata.db.selectFrom("subscriptions").select("id").executeTakeFirstOrThrow();
  await metadata.close();
  const store = await openEventStores(config.events);
  try {
    return await readEvents(store.query, { subscriptionId: subscription.id });
  } finally {
    await store.sink.close();
  }
}
