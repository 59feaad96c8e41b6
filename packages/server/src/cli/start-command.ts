import type { Command } from "commander";
import { exitOnError } from "../platform/cli/exit-on-error.js";
import { configFlags, withConfigOptions } from "../platform/config/config-options.js";
import { loadConfig } from "../platform/config/load-config.js";
import { logDestination, logsAsText } from "../platform/log/log-destination.js";
import { banner } from "../start/print-banner.js";
import { type RunningCairn, startCairn } from "../start/start-cairn.js";

const forcedExitAfterMs = 15_000;

/**
 * Signal handlers go in before start-up begins: a signal that arrives while the stores open, or right after
 * the banner is printed, still shuts down cleanly instead of killing the process mid-write.
 */
function shutDownOnSignals(started: Promise<RunningCairn>): void {
  let signals = 0;
  const stop = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      process.stderr.write(`cairn: second ${signal}: exiting without waiting\n`);
      process.exit(1);
    }
    setTimeout(() => {
      process.stderr.write("cairn: shutdown took too long: exiting\n");
      process.exit(1);
    }, forcedExitAfterMs).unref();
    started
      .then(async (cairn) => {
        cairn.app.log.info({ signal, pendingEvents: cairn.writer.pending() }, "shutting down");
        await cairn.shutdown();
        process.exit(0);
      })
      .catch(exitOnError);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

export function registerStartCommand(program: Command): void {
  withConfigOptions(program.command("start").description("start the Cairn server")).action(
    async (options) => {
      try {
        const config = loadConfig(configFlags(options), process.env, process.cwd());
        const logStream = await logDestination(config.logFormat, process.stdout);
        const started = startCairn(config, { logStream });
        shutDownOnSignals(started);
        const cairn = await started;
        // Beside text logs the banner reads well on stdout; JSON lines on stdout stay parseable if it goes to stderr.
        const out = logsAsText(config.logFormat, process.stdout) ? process.stdout : process.stderr;
        out.write(`${banner(cairn.publicUrl, cairn.installation)}\n`);
      } catch (error) {
        exitOnError(error);
      }
    },
  );
}
