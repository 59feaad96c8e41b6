import type { Command } from "commander";
import { exitOnError } from "../platform/cli/exit-on-error.js";
import { configFlags, withConfigOptions } from "../platform/config/config-options.js";
import { loadConfig } from "../platform/config/load-config.js";
import { type CheckState, describeConfig, runDoctor } from "./run-doctor.js";

const marks: Record<CheckState, string> = { ok: "ok     ", note: "note   ", problem: "PROBLEM" };

export function registerDoctorCommand(program: Command): void {
  withConfigOptions(
    program
      .command("doctor")
      .description("print the resolved configuration (secrets hidden) and check that the stores open"),
  ).action(async (options) => {
    try {
      const config = loadConfig(configFlags(options), process.env, process.cwd());
      process.stdout.write(
        `Configuration (value, then where it came from):\n${describeConfig(config)}\n\nChecks:\n`,
      );
      const checks = await runDoctor(config);
      for (const check of checks) process.stdout.write(`  ${marks[check.state]}  ${check.text}\n`);
      const problems = checks.filter((c) => c.state === "problem").length;
      process.stdout.write(problems === 0 ? "\nNo problems found.\n" : `\n${problems} problem(s) found.\n`);
      process.exitCode = problems === 0 ? 0 : 1;
    } catch (error) {
      exitOnError(error);
    }
  });
}
