import { existsSync } from "node:fs";
import { open, readFile, rename, stat } from "node:fs/promises";
import path from "node:path";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { type ExportFile, sha256Of } from "./rows-files.js";

/** Goes up when an export folder's layout changes in a way an older `cairn import` would misread. */
export const exportFormatVersion = 1;
export const manifestName = "manifest.json";

/** What each file of an export holds. */
export type ExportPart =
  | { readonly kind: "metadata"; readonly table: string }
  | { readonly kind: "visitors" | "accounts" | "aliases" | "guideStepStates" | "events" };

export type ManifestFile = ExportFile & ExportPart;

export interface StoreLevel {
  readonly engine: string;
  /** The migrations the store had applied, by name. */
  readonly migrations: readonly string[];
}

/** `manifest.json`, written last: an export without one was cut short. */
export interface ExportManifest {
  readonly format: "cairn-export";
  readonly formatVersion: number;
  readonly exportId: string;
  readonly cairnVersion: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Events received up to this time (epoch ms) are in the export; later ones are not. */
  readonly eventsReceivedUpTo: number;
  readonly source: {
    readonly metadata: StoreLevel;
    readonly profiles: StoreLevel;
    readonly events: StoreLevel;
  };
  readonly files: readonly ManifestFile[];
}

const refused = (message: string) => new CairnError("bad_request", { message });

/** Written to a temporary name, synced, then renamed: a reader sees the whole manifest or none. */
export async function writeManifest(dir: string, manifest: ExportManifest): Promise<void> {
  const temporary = path.join(dir, `${manifestName}.partial`);
  const handle = await open(temporary, "w");
  try {
    await handle.writeFile(`${JSON.stringify(manifest, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path.join(dir, manifestName));
  const folder = await open(dir, "r");
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/** The manifest of an export folder, refused with a clear reason when the folder is not a whole export of a known format. */
export async function readManifest(dir: string): Promise<ExportManifest> {
  if (!existsSync(dir)) throw refused(`${dir} does not exist: name the folder \`cairn export\` wrote`);
  if (!(await stat(dir)).isDirectory())
    throw refused(`${dir} is not a folder: name the folder \`cairn export\` wrote`);
  const file = path.join(dir, manifestName);
  if (!existsSync(file))
    throw refused(
      `${dir} has no ${manifestName}: it is not an export, or its export was cut short (run \`cairn export\` again)`,
    );
  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(await readFile(file, "utf8")) as ExportManifest;
  } catch (error) {
    throw refused(`${file} is damaged: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (manifest.format !== "cairn-export" || !Array.isArray(manifest.files))
    throw refused(`${file} is not a Cairn export's manifest`);
  if (manifest.formatVersion > exportFormatVersion)
    throw refused(
      `${dir} was written by Cairn ${manifest.cairnVersion} in export format ${manifest.formatVersion}; this Cairn reads format ${exportFormatVersion} and older: import it with a newer Cairn`,
    );
  return manifest;
}

/**
 * Every file the manifest lists is there, of its size and checksum, before anything is imported; the first that
 * is not is named. `onFile` is told after each file.
 */
export async function verifyFiles(
  dir: string,
  manifest: ExportManifest,
  onFile: (checked: number) => void = () => {},
): Promise<void> {
  let checked = 0;
  for (const entry of manifest.files) {
    const file = path.join(dir, entry.path);
    if (!existsSync(file)) throw refused(`the export is incomplete: ${entry.path} is missing from ${dir}`);
    const { size } = await stat(file);
    if (size !== entry.bytes)
      throw refused(
        `the export is damaged: ${entry.path} has ${size} bytes where the manifest says ${entry.bytes}`,
      );
    if ((await sha256Of(file)) !== entry.sha256)
      throw refused(`the export is damaged: ${entry.path} does not match its checksum in the manifest`);
    onFile(++checked);
  }
}
