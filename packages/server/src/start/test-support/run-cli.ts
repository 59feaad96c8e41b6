import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * The built CLI, as `npm start` and users run it: the server's test script builds it first. Spawning it from the
 * sources through tsx took ~1.9 s a command against ~0.4 s, and the CLI tests run hundreds of commands.
 */
export const cliPath = fileURLToPath(new URL("../../../dist/cli/main.js", import.meta.url));

/** Spawns `cairn <args>` (the built CLI), in `cwd`, with only the given CAIRN_* variables. */
export function spawnCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): ChildProcess {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env };
  return spawn(process.execPath, [cliPath, ...args], {
    cwd: options.cwd,
    env,
    stdio: "pipe",
  });
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliResult> {
  const child = spawnCli(args, options);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Resolves with everything printed so far once `pattern` appears on stdout or stderr (with JSON logs the
 * start banner goes to stderr, so stdout stays JSON lines).
 */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    let errors = "";
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; stdout: ${seen}; stderr: ${errors}`)),
      timeoutMs,
    );
    const check = () => {
      if (!pattern.test(seen) && !pattern.test(errors)) return;
      clearTimeout(timer);
      resolve(`${seen}${errors}`);
    };
    child.stderr?.on("data", (chunk: Buffer) => {
      errors += chunk.toString();
      check();
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      check();
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}; stdout: ${seen}; stderr: ${errors}`));
    });
  });
}

/** A `cairn start` child process, with what its banner printed. */
export interface StartedServer {
  readonly child: ChildProcess;
  readonly url: string;
  readonly appKey: string;
  readonly signInToken: string;
}

/** Spawns `cairn start` on a free port and waits for its banner (the install snippet is its last part). */
export async function startServerCli(options: {
  cwd: string;
  env: Record<string, string>;
}): Promise<StartedServer> {
  const child = spawnCli(["start", "--port", "0", "--log-level", "warn"], options);
  const output = await waitForOutput(child, /<\/script>/);
  const url = /Cairn is ready at (\S+)/.exec(output)?.[1];
  const appKey = /\}\)\('([0-9a-f-]{36})'\);/.exec(output)?.[1];
  const signInToken = /sign-in\?token=([\w-]+)/.exec(output)?.[1];
  if (!url || !appKey || !signInToken) throw new Error(`no banner from cairn start:\n${output}`);
  return { child, url, appKey, signInToken };
}

/** Turns integration keys on and makes one through the CLI (`cli` runs `cairn` with the stores' settings). */
export async function integrationKeyByCli(
  cli: (args: string[]) => Promise<CliResult>,
  description: string,
): Promise<{ key: string; id: string }> {
  const enabled = await cli(["subscription", "update", "--integration-keys", "on"]);
  if (enabled.code !== 0) throw new Error(enabled.stderr);
  const created = await cli([
    "keys",
    "create",
    "--kind",
    "integration",
    "--description",
    description,
    "--json",
  ]);
  if (created.code !== 0) throw new Error(created.stderr);
  return JSON.parse(created.stdout) as { key: string; id: string };
}
