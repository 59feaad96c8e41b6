import type { FastifyBaseLogger } from "fastify";
import { createSharedCounts, type SharedCounts, unsharedCounts } from "../platform/limits/shared-counts.js";
import type { MetadataStore } from "../store/metadata/metadata-store.js";

const quietMs = 60_000;

/**
 * The limits' counts, shared through the metadata store when it can broadcast (PostgreSQL: several servers);
 * on SQLite there is one server and nothing to share. A database that is away loses some counts, said at most
 * once a minute.
 */
export async function shareCounts(metadata: MetadataStore, log: FastifyBaseLogger): Promise<SharedCounts> {
  if (!metadata.broadcast) return unsharedCounts;
  let saidAtMs = -quietMs;
  return createSharedCounts(metadata.broadcast, {
    onError(error) {
      const nowMs = Date.now();
      if (nowMs - saidAtMs < quietMs) return;
      saidAtMs = nowMs;
      log.warn(
        { err: error },
        "could not send this server's limit counts to the others (is PostgreSQL reachable?); they count on their own meanwhile",
      );
    },
  });
}
