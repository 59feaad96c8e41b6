import { CairnError } from "../../platform/errors/cairn-error.js";
import type { MetadataStore } from "../metadata/metadata-store.js";
import type { EventStores } from "../open-stores.js";
import type { ProfileStore } from "../profiles/profile-store.js";
import { countEventsUpTo } from "./export-events.js";
import { importMetadata, metadataTablesWithRows } from "./import-metadata.js";
import { importProfileFile, isProfileFile, profilesHoldData } from "./import-profiles.js";
import { ensureProgressTable, markDone, stepsDone, untyped } from "./import-progress.js";
import { type ExportManifest, readManifest, verifyFiles } from "./manifest.js";
import { counted, progressLine } from "./progress-lines.js";
import { rowsBytesOf } from "./rows-files.js";

export interface ImportTargets {
  readonly metadata: MetadataStore;
  readonly profiles: ProfileStore;
  readonly events: EventStores;
}

export interface ImportOutcome {
  readonly manifest: ExportManifest;
  /** `resumed`: an earlier run of this import was cut short and this one finished it; `already`: nothing to do. */
  readonly state: "imported" | "resumed" | "already";
}

const refused = (message: string) => new CairnError("bad_request", { message });

/** The export's metadata was written at this Cairn's migration level: its rows have these tables' columns. */
function requireSameLevel(manifest: ExportManifest, known: readonly string[]): void {
  const exported = manifest.source.metadata.migrations;
  const unknown = exported.filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw refused(
      `the export was made by Cairn ${manifest.cairnVersion}, whose metadata has migrations this Cairn does not know (${unknown.join(", ")}): import it with Cairn ${manifest.cairnVersion} or newer`,
    );
  const missing = known.filter((name) => !exported.includes(name));
  if (missing.length > 0)
    throw refused(
      `the export was made by Cairn ${manifest.cairnVersion}, before metadata migrations ${missing.join(", ")}: upgrade the source to this Cairn (\`cairn migrate\`) and export again`,
    );
}

/** What the target already holds, when it holds anything, for the refusal. */
async function dataHeld(targets: ImportTargets): Promise<string[]> {
  const held: string[] = [];
  const tables = await metadataTablesWithRows(targets.metadata);
  if (tables.length > 0) held.push(`metadata (${tables.slice(0, 4).join(", ")})`);
  if (await profilesHoldData(targets.profiles)) held.push("profiles");
  const events = await countEventsUpTo(targets.events.query, null);
  if (events > 0) held.push(`${counted(events)} events`);
  return held;
}

/**
 * Checks the export whole, then loads it into the target stores (migrated first): metadata in one transaction,
 * then profiles file by file, then events file by file, each step recorded in the target as it is done. A run
 * cut short is resumed by running it again: done steps are skipped, and a step cut short is repeated, which
 * changes nothing (profiles are written over themselves; event files carry a token the event store keeps).
 */
export async function importFolder(
  dir: string,
  targets: ImportTargets,
  report: (line: string) => void,
): Promise<ImportOutcome> {
  const manifest = await readManifest(dir);
  const checked = progressLine("verifying the export's files", manifest.files.length, report);
  await verifyFiles(dir, manifest, (n) => checked.at(n));

  requireSameLevel(
    manifest,
    (await targets.metadata.migrationStatus()).map((s) => s.name),
  );
  await targets.metadata.migrate();
  await targets.profiles.migrate();
  await targets.events.sink.migrate();

  await ensureProgressTable(targets.metadata);
  const progress = await stepsDone(targets.metadata);
  const other = [...progress.keys()].find((id) => id !== manifest.exportId);
  if (other)
    throw refused(
      `the target stores hold another import (export ${other}, from another run of \`cairn export\`): finish that one by importing its folder again, or import into empty stores`,
    );
  const done = progress.get(manifest.exportId) ?? new Set<string>();
  if (done.has("done")) return { manifest, state: "already" };
  const resuming = done.size > 0;
  if (resuming) report(`resuming the import of export ${manifest.exportId}`);
  else {
    const held = await dataHeld(targets);
    if (held.length > 0)
      throw refused(`the target stores already hold data (${held.join("; ")}); import into empty stores`);
  }

  if (!done.has("metadata")) await importMetadata(targets.metadata, dir, manifest, report);
  const db = untyped(targets.metadata);

  const profileFiles = manifest.files.filter(isProfileFile);
  const profileTotal = profileFiles.reduce((n, f) => n + f.rows, 0);
  const profiles = progressLine("importing profiles", profileTotal, report);
  let profileRows = 0;
  for (const file of profileFiles) {
    if (!done.has(file.path)) {
      await importProfileFile(targets.profiles, dir, file);
      await markDone(db, manifest.exportId, file.path);
    }
    profileRows += file.rows;
    profiles.at(profileRows);
  }
  profiles.at(profileRows, true);

  const eventFiles = manifest.files.filter((f) => f.kind === "events");
  const eventTotal = eventFiles.reduce((n, f) => n + f.rows, 0);
  const events = progressLine("importing events", eventTotal, report);
  let eventRows = 0;
  events.at(0, true);
  for (const file of eventFiles) {
    if (!done.has(file.path)) {
      const rows = await rowsBytesOf(dir, file);
      await targets.events.sink.importRows({ rows: [rows], token: `${manifest.exportId}:${file.path}` });
      await markDone(db, manifest.exportId, file.path);
    }
    eventRows += file.rows;
    events.at(eventRows);
  }
  events.at(eventRows, true);
  await markDone(db, manifest.exportId, "done");
  return { manifest, state: resuming ? "resumed" : "imported" };
}
