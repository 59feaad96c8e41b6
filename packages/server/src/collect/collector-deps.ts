import type { AppKeyCache } from "../access/apps/app-key-cache.js";
import type { ExcludeListCache } from "../access/exclude/exclude-list-cache.js";
import type { KeyVerifier } from "../access/keys/key-verifier.js";
import type { DoNotProcessCache } from "../access/privacy/do-not-process-cache.js";
import type { DropReason } from "../ingest/agent-event.js";
import type { IngestWriter } from "../ingest/ingest-writer.js";
import type { SharedCounts } from "../platform/limits/shared-counts.js";
import type { MetadataStore } from "../store/metadata/metadata-store.js";

/** What the collector's routes use; each registrar takes the part it needs. */
export interface CollectorDeps {
  readonly metadata: MetadataStore;
  readonly verifier: KeyVerifier;
  readonly writer: IngestWriter;
  readonly appKeys: AppKeyCache;
  readonly excludeList: ExcludeListCache;
  /** How many recent beacons are remembered so a re-sent copy is stored once (default 200,000; 0: none). */
  readonly rememberedBatches?: number;
  /** The limits' and the recent beacons' counts, shared with the other servers (none by default). */
  readonly sharedCounts?: SharedCounts;
  /** Visitors marked "do not process": a server-side event of one is dropped (beacons: in the loader). */
  readonly doNotProcess?: DoNotProcessCache;
  /** Dropped events by reason, for operators (and tests). */
  readonly drops: Map<DropReason, number>;
}
