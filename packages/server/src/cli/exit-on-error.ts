import { ConfigError } from "../config/config-error.js";
import { EventStoreLockedError } from "../store/events/event-store.js";
import { EngineNotAvailableError } from "../store/open-stores.js";

/** Exit code for anything the operator must fix in the configuration or environment. */
export const configurationExitCode = 2;

/** Prints one clear line for a problem the operator can fix (exit 2), or the error for a bug (exit 1). */
export function exitOnError(error: unknown): never {
  if (
    error instanceof ConfigError ||
    error instanceof EngineNotAvailableError ||
    error instanceof EventStoreLockedError
  ) {
    process.stderr.write(`cairn: ${error.message}\n`);
    process.exit(configurationExitCode);
  }
  process.stderr.write(
    `cairn: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}
