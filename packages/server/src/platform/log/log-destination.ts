import type { CairnConfig } from "../config/load-config.js";

/** True when the logs should read as text: asked for, or `auto` on a terminal. */
export function logsAsText(format: CairnConfig["logFormat"], stdout: { isTTY?: boolean }): boolean {
  return format === "text" || (format === "auto" && stdout.isTTY === true);
}

/**
 * Where `cairn start` writes its logs: undefined keeps pino's JSON lines on stdout; text goes through
 * pino-pretty, loaded only then and synchronous, so no worker thread starts and no line is lost on exit.
 */
export async function logDestination(
  format: CairnConfig["logFormat"],
  stdout: NodeJS.WriteStream,
): Promise<NodeJS.WritableStream | undefined> {
  if (!logsAsText(format, stdout)) return undefined;
  const { build } = await import("pino-pretty");
  return build({
    destination: stdout,
    sync: true,
    colorize: stdout.isTTY === true,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname",
  });
}
