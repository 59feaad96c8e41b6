import type { ProfileStore } from "../profiles/profile-store.js";
import type { ManifestFile } from "./manifest.js";
import { counted } from "./progress-lines.js";
import { RowsFileSeries } from "./rows-files.js";

const pageSize = 5_000;

/**
 * Visitors and accounts paged through the change feed, oldest change first; aliases and guide step states in
 * key order. A record written again while the export runs comes again later in its file, with its newer
 * values: an import writes records in file order, each replacing the one before, so the newest wins.
 */
export async function exportProfiles(
  profiles: ProfileStore,
  dir: string,
  rowsPerFile: number,
  report: (line: string) => void,
): Promise<ManifestFile[]> {
  const visitors = new RowsFileSeries(dir, "profiles/visitors", rowsPerFile);
  const accounts = new RowsFileSeries(dir, "profiles/accounts", rowsPerFile);
  let cursor = 0;
  let records = 0;
  for (;;) {
    const page = await profiles.changesSince(cursor, pageSize);
    await visitors.addAll(page.visitors.map((v) => JSON.stringify(v)));
    await accounts.addAll(page.accounts.map((a) => JSON.stringify(a)));
    records += page.visitors.length + page.accounts.length;
    if (page.cursor === cursor) break;
    cursor = page.cursor;
    report(`exporting profiles: ${counted(records)} visitors and accounts`);
  }

  const aliases = new RowsFileSeries(dir, "profiles/aliases", rowsPerFile);
  for (let page = await profiles.aliasesAfter(null, pageSize); page.length > 0; ) {
    await aliases.addAll(page.map((alias) => JSON.stringify(alias)));
    const last = page.at(-1);
    page = last ? await profiles.aliasesAfter(last, pageSize) : [];
  }

  const guideStates = new RowsFileSeries(dir, "profiles/guide-step-states", rowsPerFile);
  for (let page = await profiles.guideStepStatesAfter(null, pageSize); page.length > 0; ) {
    await guideStates.addAll(page.map((state) => JSON.stringify(state)));
    const last = page.at(-1);
    page = last ? await profiles.guideStepStatesAfter(last, pageSize) : [];
  }

  const files: ManifestFile[] = [
    ...(await visitors.finish()).map((f) => ({ ...f, kind: "visitors" as const })),
    ...(await accounts.finish()).map((f) => ({ ...f, kind: "accounts" as const })),
    ...(await aliases.finish()).map((f) => ({ ...f, kind: "aliases" as const })),
    ...(await guideStates.finish()).map((f) => ({ ...f, kind: "guideStepStates" as const })),
  ];
  const count = (kind: string) => files.filter((f) => f.kind === kind).reduce((n, f) => n + f.rows, 0);
  report(
    `exporting profiles: ${counted(count("visitors"))} visitors, ${counted(count("accounts"))} accounts, ${counted(count("aliases"))} aliases, ${counted(count("guideStepStates"))} guide step states`,
  );
  return files;
}
