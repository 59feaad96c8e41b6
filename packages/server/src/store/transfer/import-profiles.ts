import type { StoredAccount, StoredVisitor, VisitorAlias } from "../profiles/profile-records.js";
import type { ProfileStore } from "../profiles/profile-store.js";
import type { ProfileRestore, StoredGuideStepState } from "../profiles/profile-transfer.js";
import type { ManifestFile } from "./manifest.js";
import { rowsOf } from "./rows-files.js";

/** Records per `restore` transaction. */
const chunk = 2_000;

type ProfileFile = ManifestFile & { kind: "visitors" | "accounts" | "aliases" | "guideStepStates" };

export const isProfileFile = (file: ManifestFile): file is ProfileFile =>
  file.kind === "visitors" ||
  file.kind === "accounts" ||
  file.kind === "aliases" ||
  file.kind === "guideStepStates";

function restoreOf(kind: ProfileFile["kind"], rows: readonly unknown[]): ProfileRestore {
  switch (kind) {
    case "visitors":
      return { visitors: rows as StoredVisitor[] };
    case "accounts":
      return { accounts: rows as StoredAccount[] };
    case "aliases":
      return { aliases: rows as VisitorAlias[] };
    case "guideStepStates":
      return { guideStates: rows as StoredGuideStepState[] };
  }
}

/**
 * One profile file, in its order (a record exported twice is written twice, the newer last). Written again
 * whole after a kill: each record replaces what is stored under its key, so a repeat changes nothing.
 */
export async function importProfileFile(
  profiles: ProfileStore,
  dir: string,
  file: ProfileFile,
): Promise<void> {
  const rows = await rowsOf<unknown>(dir, file);
  for (let at = 0; at < rows.length; at += chunk)
    await profiles.restore(restoreOf(file.kind, rows.slice(at, at + chunk)));
}

/** Whether the profile store holds any record. */
export async function profilesHoldData(profiles: ProfileStore): Promise<boolean> {
  const changes = await profiles.changesSince(0, 1);
  if (changes.visitors.length > 0 || changes.accounts.length > 0) return true;
  if ((await profiles.aliasesAfter(null, 1)).length > 0) return true;
  return (await profiles.guideStepStatesAfter(null, 1)).length > 0;
}
