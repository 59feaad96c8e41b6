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
