import type { Kysely } from "kysely";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { recordAudit } from "../audit/audit-log.js";

export interface UsageRecorder {
  /** Remembers the use; nothing is written on the request's path. */
  note(key: { readonly id: string; readonly subscriptionId: string }, atMs: number, ip: string): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Last-used time and address per key, written in batches every `flushMs`, and only ever moved forward
 * (two servers flushing in either order leave the later use). A key's first use is audited.
 */
export function createUsageRecorder(
  db: Kysely<MetadataSchema>,
  options: { flushMs?: number; resolutionMs?: number } = {},
): UsageRecorder {
  // A key used all day is written about once a minute, not once a second: with SQLite every write is a
  // synchronous fsync on the event loop, and "last used" needs no finer grain than this.
  const resolutionMs = options.resolutionMs ?? 60_000;
  const lastWritten = new Map<string, number>();
  // Times stay numbers until written: converting on every request would cost more than the rest of it.
  let pending = new Map<string, { subscriptionId: string; atMs: number; ip: string }>();
  let flushing: Promise<void> = Promise.resolve();

  async function write(batch: typeof pending): Promise<void> {
    if (batch.size === 0) return;
    await db.transaction().execute(async (trx) => {
      for (const [keyId, { subscriptionId, atMs, ip }] of batch) {
        const use = { subscriptionId, ip, at: new Date(atMs).toISOString() };
        const before = await trx
          .selectFrom("api_keys")
          .select("last_used_at")
          .where("id", "=", keyId)
          .executeTakeFirst();
        if (!before || (before.last_used_at !== null && before.last_used_at >= use.at)) continue;
        await trx
          .updateTable("api_keys")
          .set({ last_used_at: use.at, last_used_ip: use.ip })
          .where("id", "=", keyId)
          .execute();
        if (before.last_used_at === null) {
          await recordAudit(trx, {
            subscriptionId: use.subscriptionId,
            actor: keyId,
            action: "key.first_used",
            target: keyId,
            ip: use.ip,
            at: new Date(use.at),
          });
        }
      }
    });
  }

  function flush(): Promise<void> {
    const batch = pending;
    pending = new Map();
    if (lastWritten.size > 100_000) lastWritten.clear();
    for (const [keyId, use] of batch) lastWritten.set(keyId, use.atMs);
    flushing = flushing
      .then(() => write(batch))
      .catch(() => {
        // Last-used is informative; a failed batch is retried by the next use, never by blocking requests.
      });
    return flushing;
  }

  const timer = setInterval(flush, options.flushMs ?? 1_000);
  timer.unref();

  return {
    note(key, atMs, ip) {
      const written = lastWritten.get(key.id);
      if (written !== undefined && atMs - written < resolutionMs) return;
      const known = pending.get(key.id);
      if (!known || known.atMs < atMs) pending.set(key.id, { subscriptionId: key.subscriptionId, atMs, ip });
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
