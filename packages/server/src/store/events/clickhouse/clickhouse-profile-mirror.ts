import type { ClickHouseClient } from "@clickhouse/client";
import type { StoredAccount, StoredVisitor } from "../../profiles/profile-records.js";
import type { ProfileChanges, ProfileStore } from "../../profiles/profile-store.js";
import { accountMirrorRow, visitorMirrorRow } from "../mirror-rows.js";
import { coalescedMirror, type MirrorRun } from "../mirror-runs.js";
import type { ProfileMirror, ProfileMirrorCopied } from "../profile-mirror.js";
import { execute, selectRows } from "./clickhouse-statements.js";

/** Which change cursor the mirror follows: the one profile store of this installation. */
const source = "profiles";

const defaultPageSize = 5_000;

/**
 * A row's version: the cursor of the page that wrote it, so a newer change always wins, whichever server
 * copied it and in whatever order two servers' copies arrive. Within a page, removals get the lower version:
 * a record removed and written again comes back with the write.
 */
const versionOf = (cursor: number, removal: boolean) => Math.trunc(cursor) * 2 + (removal ? 0 : 1);

const visitorRow = (v: StoredVisitor, version: number) => ({
  ...visitorMirrorRow(v),
  version,
  is_deleted: 0,
});
const accountRow = (a: StoredAccount, version: number) => ({
  ...accountMirrorRow(a),
  version,
  is_deleted: 0,
});

/**
 * The profile mirror in ClickHouse: `visitor_profiles` and `account_profiles` are ReplacingMergeTree tables
 * (read with FINAL), so copying a change is an insert, and copying it twice (a page repeated after a crash, or
 * two servers syncing at once) changes nothing. The cursor is shared by every server on the database; each
 * sync starts from the newest one any server committed.
 */
export function clickhouseProfileMirror(
  client: ClickHouseClient,
  options: { pageSize?: number } = {},
): ProfileMirror {
  const pageSize = options.pageSize ?? defaultPageSize;

  async function committedCursor(): Promise<number> {
    const [row] = await selectRows<{ cursor: number | null }>(
      client,
      "SELECT max(cursor) AS cursor FROM profile_mirror_cursor WHERE source = {source:String}",
      { source },
    );
    return Number(row?.cursor ?? 0);
  }

  async function insert(table: string, values: readonly Record<string, unknown>[]): Promise<void> {
    if (values.length > 0) await client.insert({ table, values: [...values], format: "JSONEachRow" });
  }

  async function commitPage(changes: ProfileChanges): Promise<void> {
    const removalVersion = versionOf(changes.cursor, true);
    const writeVersion = versionOf(changes.cursor, false);
    const removed = (kind: "visitor" | "account") =>
      changes.removed
        .filter((r) => r.kind === kind)
        .map((r) => ({
          subscription_id: r.subscriptionId,
          [`${kind}_id`]: r.id,
          last_updated: 0,
          agent_metadata: "{}",
          custom_metadata: "{}",
          version: removalVersion,
          is_deleted: 1,
        }));
    await insert("visitor_profiles", [
      ...removed("visitor"),
      ...changes.visitors.map((v) => visitorRow(v, writeVersion)),
    ]);
    await insert("account_profiles", [
      ...removed("account"),
      ...changes.accounts.map((a) => accountRow(a, writeVersion)),
    ]);
    await execute(client, "INSERT INTO profile_mirror_cursor VALUES ({source:String}, {cursor:Float64})", {
      params: { source, cursor: changes.cursor },
    });
  }

  async function copyChanges(run: MirrorRun, profiles: ProfileStore): Promise<ProfileMirrorCopied> {
    let visitors = 0;
    let accounts = 0;
    let from = await committedCursor();
    for (;;) {
      run.reading = true;
      const changes = await profiles.changesSince(from, pageSize);
      const count = changes.visitors.length + changes.accounts.length + changes.removed.length;
      if (count === 0) break;
      await commitPage(changes);
      visitors += changes.visitors.length;
      accounts += changes.accounts.length;
      from = changes.cursor;
      // A page short of the limit in every list held every change there was when it was read.
      if (
        changes.visitors.length < pageSize &&
        changes.accounts.length < pageSize &&
        changes.removed.length < pageSize
      )
        break;
    }
    return { visitors, accounts };
  }

  return coalescedMirror(copyChanges);
}
