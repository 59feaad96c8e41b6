import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { cairnVersion } from "../../platform/version.js";
import type { MetadataStore } from "../metadata/metadata-store.js";
import type { MigrationStatus } from "../migration-status.js";
import type { EventStores } from "../open-stores.js";
import type { ProfileStore } from "../profiles/profile-store.js";
import { exportEvents } from "./export-events.js";
import { exportMetadata } from "./export-metadata.js";
import { exportProfiles } from "./export-profiles.js";
import { type ExportManifest, exportFormatVersion, manifestName, writeManifest } from "./manifest.js";

/** Written first and removed once the manifest is in: the folder holds an export that was cut short. */
export const inProgressMarker = "export-in-progress";

export interface ExportOptions {
  readonly eventsPerFile: number;
  readonly profilesPerFile: number;
  readonly report: (line: string) => void;
}

export interface ExportSources {
  readonly metadata: MetadataStore;
  readonly profiles: ProfileStore;
  readonly events: EventStores;
}

const refused = (message: string) => new CairnError("bad_request", { message });

/**
 * An empty folder, or one an earlier export left cut short (its marker, no manifest), which is cleared so the
 * export starts again from the beginning: a new, consistent snapshot rather than a mix of two moments.
 */
async function prepareFolder(dir: string, report: (line: string) => void): Promise<void> {
  if (!existsSync(dir)) {
    if (!existsSync(path.dirname(dir)))
      throw refused(`cannot create ${dir}: its parent folder ${path.dirname(dir)} does not exist`);
    await mkdir(dir, { mode: 0o700 });
  }
  const entries = await readdir(dir);
  if (entries.includes(manifestName))
    throw refused(`${dir} already holds a finished export (${manifestName}); export into an empty folder`);
  if (entries.includes(inProgressMarker)) {
    report(`${dir} holds an export that was cut short: starting it again`);
    for (const entry of entries) await rm(path.join(dir, entry), { recursive: true, force: true });
  } else if (entries.length > 0) {
    throw refused(`${dir} is not empty (${entries.slice(0, 3).join(", ")}…); export into an empty folder`);
  }
  await writeFile(path.join(dir, inProgressMarker), `started ${new Date().toISOString()}\n`);
}

const names = (statuses: readonly MigrationStatus[]) =>
  statuses.filter((s) => s.appliedAt).map((s) => s.name);

/** Exports every store into `dir`; the manifest is written last. Answers the manifest. */
export async function exportFolder(
  dir: string,
  sources: ExportSources,
  options: ExportOptions,
): Promise<ExportManifest> {
  const metadataStatus = await sources.metadata.migrationStatus();
  const pending = metadataStatus.filter((s) => !s.appliedAt).map((s) => s.name);
  if (pending.length > 0)
    throw refused(
      `the metadata store has migrations pending (${pending.join(", ")}): run \`cairn migrate\` on it, then export`,
    );
  await prepareFolder(dir, options.report);
  const startedAt = new Date();
  const eventsReceivedUpTo = startedAt.getTime();
  const { report } = options;

  const files = [
    ...(await exportMetadata(sources.metadata, dir, report)),
    ...(await exportProfiles(sources.profiles, dir, options.profilesPerFile, report)),
    ...(await exportEvents(sources.events.query, dir, eventsReceivedUpTo, options.eventsPerFile, report)),
  ];
  const manifest: ExportManifest = {
    format: "cairn-export",
    formatVersion: exportFormatVersion,
    exportId: randomUUID(),
    cairnVersion,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    eventsReceivedUpTo,
    source: {
      metadata: { engine: sources.metadata.engine, migrations: names(metadataStatus) },
      profiles: {
        engine: sources.profiles.engine,
        migrations: names(await sources.profiles.migrationStatus()),
      },
      events: {
        engine: sources.events.sink.engine,
        migrations: names(await sources.events.sink.migrationStatus()),
      },
    },
    files,
  };
  await writeManifest(dir, manifest);
  await rm(path.join(dir, inProgressMarker), { force: true });
  return manifest;
}
