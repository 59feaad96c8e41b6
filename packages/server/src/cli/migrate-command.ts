import type { Command } from "commander";
import { exitOnError } from "../platform/cli/exit-on-error.js";
import { configFlags, withConfigOptions } from "../platform/config/config-options.js";
import { loadConfig } from "../platform/config/load-config.js";
import { prepareDataDir } from "../platform/config/prepare-data-dir.js";
import type { MigrationStatus } from "../store/migration-status.js";
import {
  openEventStores,
  openMetadataStore,
  openProfileStore,
  profilesTargetOf,
} from "../store/open-stores.js";

function describe(title: string, statuses: readonly MigrationStatus[], applied: readonly string[]): string {
  const width = Math.max(...statuses.map((s) => s.name.length));
  const lines = statuses.map((s) => {
    const state = s.appliedAt
      ? `applied ${s.appliedAt}${applied.includes(s.name) ? " (now)" : ""}`
      : "pending";
    return `  ${s.name.padEnd(width)}  ${state}`;
  });
  const pending = statuses.filter((s) => !s.appliedAt).length;
  return [`${title}: ${statuses.length - pending} applied, ${pending} pending`, ...lines].join("\n");
}

export function registerMigrateCommand(program: Command): void {
  withConfigOptions(
    program
      .command("migrate")
      .description("apply pending store migrations (numbered, forward-only) and report their status")
      .option("--status", "only report, apply nothing"),
  ).action(async (options) => {
    try {
      const config = loadConfig(configFlags(options), process.env, process.cwd());
      prepareDataDir(config);
      const onlyReport = options.status === true;

      const metadata = await openMetadataStore(config.metadata);
      try {
        const applied = onlyReport ? [] : (await metadata.migrate()).applied;
        process.stdout.write(
          `${describe(`metadata store (${metadata.engine})`, await metadata.migrationStatus(), applied)}\n`,
        );
      } finally {
        await metadata.close();
      }

      const { sink } = await openEventStores(config.events);
      try {
        const applied = onlyReport ? [] : (await sink.migrate()).applied;
        process.stdout.write(
          `${describe(`event store (${sink.engine})`, await sink.migrationStatus(), applied)}\n`,
        );
      } finally {
        await sink.close();
      }

      const profiles = await openProfileStore(profilesTargetOf(config));
      try {
        const applied = onlyReport ? [] : (await profiles.migrate()).applied;
        process.stdout.write(
          `${describe(`profile store (${profiles.engine})`, await profiles.migrationStatus(), applied)}\n`,
        );
      } finally {
        await profiles.close();
      }
    } catch (error) {
      exitOnError(error);
    }
  });
}
