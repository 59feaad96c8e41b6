import { ConfigError } from "../config/config-error.js";
import { CairnError } from "../errors/cairn-error.js";
import {
  ChdbNotInstalledError,
  ClickhouseTooOldError,
  EventStoreLockedError,
  EventStoreRefusedError,
  EventStoreUnreachableError,
} from "../errors/environment-errors.js";

/** Exit code for anything the operator must fix in the configuration or environment. */
export const configurationExitCode = 2;

/**
 * Prints one clear line: a configuration problem exits 2, a refused request (bad input, missing object)
 * exits 1, and a bug exits 1 with its stack.
 */
export function exitOnError(error: unknown): never {
  if (
    error instanceof ConfigError ||
    error instanceof EventStoreLockedError ||
    error instanceof EventStoreUnreachableError ||
    error instanceof EventStoreRefusedError ||
    error instanceof ClickhouseTooOldError ||
    error instanceof ChdbNotInstalledError
  ) {
    process.stderr.write(`cairn: ${error.message}\n`);
    process.exit(configurationExitCode);
  }
  if (error instanceof CairnError) {
    // The same words an HTTP client gets: what went wrong, then (unless generic) what to do.
    const generic = error.code === "bad_request" || error.code === "not_found" || error.code === "conflict";
    process.stderr.write(`cairn: ${error.message}${generic ? "" : ` ${error.hint}`}\n`);
    process.exit(1);
  }
  process.stderr.write(
    `cairn: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}
