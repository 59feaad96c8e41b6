import { existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { countUnloaded } from "../ingest/ingest-log.js";
import { exitOnError } from "../platform/cli/exit-on-error.js";
import { configFlags, withConfigOptions } from "../platform/config/config-options.js";
import { type CairnConfig, loadConfig } from "../platform/config/load-config.js";
import { prepareDataDir } from "../platform/config/prepare-data-dir.js";
import { CairnError } from "../platform/errors/cairn-error.js";
import { ingestLogDir } from "../start/start-cairn.js";
import type { MetadataStore } from "../store/metadata/metadata-store.js";
import {
  type EventStores,
  openEventStores,
  openMetadataStore,
  openProfileStore,
  profilesTargetOf,
} from "../store/open-stores.js";
import type { ProfileStore } from "../store/profiles/profile-store.js";
import { exportFolder } from "../store/transfer/export-folder.js";
import { importFolder } from "../store/transfer/import-folder.js";
import { counted } from "../store/transfer/progress-lines.js";

const report = (line: string) => process.stderr.write(`${line}\n`);

function wholeNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CairnError("bad_request", { message: `${flag} must be a whole number ≥ 1, not ${value}` });
  return n;
}

/** Opens the three stores the configuration names, runs `work`, and closes them whatever happens. */
async function withStores<T>(
  config: CairnConfig,
  work: (stores: { metadata: MetadataStore; profiles: ProfileStore; events: EventStores }) => Promise<T>,
): Promise<T> {
  const metadata = await openMetadataStore(config.metadata);
  try {
    const profiles = await openProfileStore(profilesTargetOf(config));
    try {
      const events = await openEventStores(config.events, { log: "import" });
      try {
        return await work({ metadata, profiles, events });
      } finally {
        await events.sink.close();
      }
    } finally {
      await profiles.close();
    }
  } finally {
    await metadata.close();
  }
}

/**
 * On one machine the ingest log is beside the event store: what it acknowledged and had not loaded (a server
 * killed rather than stopped) would be missing from the export. A start loads it; a clean stop leaves none.
 */
async function requireLoadedLog(
  config: CairnConfig,
  stores: { profiles: ProfileStore; events: EventStores },
) {
  if (config.metadata.engine !== "sqlite" || config.events.engine !== "duckdb") return;
  // The event store's checkpoint, not the profile store's: that one is named by the log folder's path, so a data
  // folder moved elsewhere would seem to have loaded nothing.
  const unloaded = await countUnloaded(ingestLogDir(config), await stores.events.sink.loadedSequence());
  if (unloaded > 0)
    throw new CairnError("bad_request", {
      message: `the ingest log ${ingestLogDir(config)} holds ${unloaded} acknowledged batches not loaded into the stores yet: start Cairn on this data folder once (it loads them), stop it, then export`,
    });
}

/** An export reads stores that are there: an embedded file that is missing would be made, empty, and exported. */
function requireEmbeddedFiles(config: CairnConfig): void {
  const files = [
    config.metadata.engine === "sqlite" ? config.metadata.file : null,
    config.events.engine === "duckdb" ? config.events.file : null,
  ];
  for (const file of files)
    if (file !== null && !existsSync(file))
      throw new CairnError("bad_request", {
        message: `there is no store to export at ${file}: name the data folder (--data-dir) or the stores' URLs`,
      });
}

export function registerTransferCommands(program: Command): void {
  withConfigOptions(
    program
      .command("export")
      .argument("<dir>", "an empty folder (made if missing) to write the export into")
      .description(
        "copy every store (metadata, profiles, events) into a folder, for `cairn import` on other stores or as a backup",
      )
      .option("--events-per-file <n>", "events per file", "100000")
      .option("--profiles-per-file <n>", "profile records per file", "100000"),
  ).action(async (dir: string, options: Record<string, unknown>) => {
    try {
      const config = loadConfig(configFlags(options), process.env, process.cwd());
      requireEmbeddedFiles(config);
      const target = path.resolve(process.cwd(), dir);
      const manifest = await withStores(config, async (stores) => {
        await requireLoadedLog(config, stores);
        return exportFolder(target, stores, {
          eventsPerFile: wholeNumber(String(options.eventsPerFile), "--events-per-file"),
          profilesPerFile: wholeNumber(String(options.profilesPerFile), "--profiles-per-file"),
          report,
        });
      });
      const rows = (kind: string) =>
        manifest.files.filter((f) => f.kind === kind).reduce((n, f) => n + f.rows, 0);
      process.stdout.write(
        `exported to ${target}: ${counted(rows("metadata"))} metadata rows, ${counted(rows("visitors"))} visitors, ${counted(rows("accounts"))} accounts, ${counted(rows("events"))} events in ${manifest.files.length} files (export ${manifest.exportId})\n`,
      );
    } catch (error) {
      exitOnError(error);
    }
  });

  withConfigOptions(
    program
      .command("import")
      .argument("<dir>", "a folder `cairn export` wrote")
      .description(
        "load an export into the configured stores, which must be empty (or hold this import, cut short: it resumes)",
      ),
  ).action(async (dir: string, options: Record<string, unknown>) => {
    try {
      const config = loadConfig(configFlags(options), process.env, process.cwd());
      const source = path.resolve(process.cwd(), dir);
      if (!existsSync(source))
        throw new CairnError("bad_request", {
          message: `${source} does not exist: name the folder \`cairn export\` wrote`,
        });
      prepareDataDir(config);
      const outcome = await withStores(config, (stores) => importFolder(source, stores, report));
      const { manifest } = outcome;
      const events = manifest.files.filter((f) => f.kind === "events").reduce((n, f) => n + f.rows, 0);
      process.stdout.write(
        outcome.state === "already"
          ? `export ${manifest.exportId} was already imported into these stores: nothing to do\n`
          : `imported export ${manifest.exportId} (${counted(events)} events${outcome.state === "resumed" ? ", resumed" : ""})\n`,
      );
    } catch (error) {
      exitOnError(error);
    }
  });
}
