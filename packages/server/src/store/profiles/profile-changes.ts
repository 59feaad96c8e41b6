import type { RemovedProfile, StoredAccount, StoredVisitor } from "./profile-records.js";
import type { ProfileChanges } from "./profile-store.js";

/** A changed row as an engine reads it: the record's columns and its change number. */
export type ChangedRow = { readonly changeSeq: number };

/** The three lists `changesSince` reads, each at most `limit` rows in ascending change number. */
export interface ChangedLists<Row extends ChangedRow> {
  readonly visitors: readonly Row[];
  readonly accounts: readonly Row[];
  readonly removed: readonly (RemovedProfile & ChangedRow)[];
}

/** Rows up to `bound`, made records by `record`; `last` is the highest change number kept (`cursor` when none). */
function upTo<Row extends ChangedRow, Stored>(
  rows: readonly Row[],
  bound: number,
  cursor: number,
  record: (row: Omit<Row, "changeSeq">) => Stored,
): { records: Stored[]; last: number } {
  const records: Stored[] = [];
  let last = cursor;
  for (const { changeSeq, ...row } of rows) {
    if (changeSeq > bound) break;
    records.push(record(row));
    last = changeSeq;
  }
  return { records, last };
}

/**
 * `changesSince`'s answer from the three lists, engine-independent. A list that filled its limit may have more
 * changes after its last one; the other lists' changes past that point wait for the next call, so everything up
 * to the answer's cursor is in the answer.
 */
export function profileChangesOf<Row extends ChangedRow>(
  lists: ChangedLists<Row>,
  cursor: number,
  limit: number,
  record: (row: Omit<Row, "changeSeq">) => unknown,
): ProfileChanges {
  let bound = Number.POSITIVE_INFINITY;
  for (const rows of [lists.visitors, lists.accounts, lists.removed]) {
    const last = rows.at(-1);
    if (rows.length >= limit && last) bound = Math.min(bound, last.changeSeq);
  }
  const visitors = upTo(lists.visitors, bound, cursor, (row) => record(row) as StoredVisitor);
  const accounts = upTo(lists.accounts, bound, cursor, (row) => record(row) as StoredAccount);
  const removed = lists.removed.filter((r) => r.changeSeq <= bound);
  return {
    visitors: visitors.records,
    accounts: accounts.records,
    removed: removed.map(({ kind, subscriptionId, id }) => ({ kind, subscriptionId, id })),
    cursor: Math.max(visitors.last, accounts.last, removed.at(-1)?.changeSeq ?? cursor),
  };
}
