/**
 * `npm start` runs the compiled server, not the sources the unit tests load through tsx; this runs the
 * build output exactly as the README's command does and checks what a newcomer sees.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cwd = mkdtempSync(path.join(tmpdir(), "cairn-e2e-"));
after(() => rmSync(cwd, { recursive: true, force: true }));

test("the built `cairn start` creates ./data, prints link, key and snippet, serves /healthz, stops on SIGTERM", async () => {
  const child = spawn(
    process.execPath,
    [path.join(root, "packages/server/dist/cli/main.js"), "start", "--port", "0"],
    {
      cwd,
      stdio: "pipe",
    },
  );
  // Piped (not a terminal), logs are JSON lines on stdout and the banner goes to stderr.
  let stdout = "";
  let banner = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      banner += chunk.toString();
      if (banner.includes("</script>")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${stdout}${banner}`)));
  });

  const url = /Cairn is ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
  assert.ok(url, banner);
  assert.match(banner, /\/admin\/sign-in\?token=[\w-]{43}/);
  assert.match(banner, /\n {4}[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n/);

  const response = await fetch(`${url}/healthz`);
  assert.equal(response.status, 200);
  const body = (await response.json()) as { status: string; version: string };
  assert.equal(body.status, "ok");
  assert.match(body.version, /^\d+\.\d+\.\d+/);

  // The page the sign-in link opens ships with the build.
  const signInPage = await fetch(`${url}/admin/sign-in`);
  assert.equal(signInPage.status, 200);
  assert.match(await signInPage.text(), /Welcome to Cairn/);
  assert.equal((await fetch(`${url}/admin/sign-in.js`)).status, 200);

  // Structured logs: every line on stdout is JSON, and the banner is not among them.
  const logLines = stdout.split("\n").filter((line) => line !== "");
  assert.ok(logLines.length > 0, "request and start-up log lines are written");
  for (const line of logLines) assert.doesNotThrow(() => JSON.parse(line), line);
  assert.doesNotMatch(stdout, /Cairn is ready/);

  child.kill("SIGTERM");
  const [code] = (await once(child, "exit")) as [number | null];
  assert.equal(code, 0);
});

test("`cairn start --log-format text` writes readable log lines and the banner on stdout, no JSON", async () => {
  const child = spawn(
    process.execPath,
    [path.join(root, "packages/server/dist/cli/main.js"), "start", "--port", "0", "--log-format", "text"],
    { cwd, stdio: "pipe" },
  );
  let stdout = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("</script>")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${stdout}`)));
  });
  const url = /Cairn is ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
  assert.ok(url, stdout);
  assert.equal((await fetch(`${url}/healthz`)).status, 200);
  child.kill("SIGTERM");
  await once(child, "exit");

  const lines = stdout.split("\n").filter((line) => line !== "");
  assert.ok(
    lines.some((line) => /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO/.test(line)),
    `a text log line such as "[12:00:00.000] INFO …" in:\n${stdout}`,
  );
  assert.ok(!lines.some((line) => line.startsWith("{")), "no JSON log line");
});

test("the build ships no tests and no test helpers", () => {
  const built = readdirSync(path.join(root, "packages/server/dist"), { recursive: true, encoding: "utf8" });
  assert.ok(built.includes(path.join("cli", "main.js")), "the build is there");
  const leaked = built.filter((file) => /(^|\/)test-support(\/|$)|\.test\.js$/.test(file));
  assert.deepEqual(leaked, []);
});
