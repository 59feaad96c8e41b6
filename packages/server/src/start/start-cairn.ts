import { existsSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { createAppKeyCache } from "../access/apps/app-key-cache.js";
import { createExcludeListCache } from "../access/exclude/exclude-list-cache.js";
import { createKeyVerifier, type KeyVerifier, type KeyVerifierOptions } from "../access/keys/key-verifier.js";
import { createDoNotProcessCache } from "../access/privacy/do-not-process-cache.js";
import type { SignInLimitOptions } from "../access/sessions/sign-in-limits.js";
import { ensureInstallation, type Installation } from "../access/setup/ensure-installation.js";
import {
  startWebhookDeliverer,
  type WebhookDelivererOptions,
} from "../feedback/webhooks/webhook-deliverer.js";
import { webhookPolicy } from "../feedback/webhooks/webhook-policy.js";
import type { WidgetLimits } from "../feedback/widget/widget-limits.js";
import { createGuideDelivery } from "../guides/delivery/guide-delivery.js";
import type { DropReason } from "../ingest/agent-event.js";
import { type IngestWriter, openIngestWriter } from "../ingest/ingest-writer.js";
import { sharedLogName } from "../ingest/log-identity.js";
import { createPreparePool } from "../ingest/prepare-pool.js";
import type { CairnConfig } from "../platform/config/load-config.js";
import { prepareDataDir } from "../platform/config/prepare-data-dir.js";
import { buildApp } from "../platform/http/build-app.js";
import { unsharedCounts } from "../platform/limits/shared-counts.js";
import type { EventQuery } from "../store/events/event-query.js";
import type { EventSink } from "../store/events/event-sink.js";
import type { ProfileMirror } from "../store/events/profile-mirror.js";
import type { MetadataStore } from "../store/metadata/metadata-store.js";
import {
  type EventStores,
  legacyProfilesFileOf,
  openEventStores,
  openMetadataStore,
  openProfileStore,
  profilesTargetOf,
} from "../store/open-stores.js";
import { moveLegacyProfiles } from "../store/profiles/move-legacy-profiles.js";
import type { ProfileStore } from "../store/profiles/profile-store.js";
import { listenOrExplain } from "./listen-or-explain.js";
import { registerRoutes } from "./register-routes.js";
import { shareCounts } from "./share-counts.js";

export interface RunningCairn {
  readonly app: FastifyInstance;
  readonly metadata: MetadataStore;
  readonly sink: EventSink;
  readonly events: EventQuery;
  readonly profiles: ProfileStore;
  /** The profiles' copy in the event engine, synced before a query that joins them onto events. */
  readonly profileMirror: ProfileMirror;
  readonly writer: IngestWriter;
  readonly verifier: KeyVerifier;
  /** Events dropped by the collector, by reason. */
  readonly drops: ReadonlyMap<DropReason, number>;
  readonly installation: Installation;
  /** The configured public URL, or, when listening on port 0 without one, the address actually bound. */
  readonly publicUrl: string;
  /** Stops taking requests, waits for the ones in flight, makes everything acknowledged durable, closes stores. */
  shutdown(): Promise<void>;
}

/**
 * Acknowledged events wait here (fsynced) until they are in the event store. The log belongs to its event
 * store: beside the DuckDB file (whose lock already keeps it to one process), so two servers sharing a data
 * folder but not an event store never share a log.
 */
export function ingestLogDir(config: CairnConfig): string {
  return config.events.engine === "duckdb"
    ? `${config.events.file}.ingest-log`
    : path.join(config.dataDir, "ingest-log");
}

/**
 * The ingest log's name in the stores' checkpoints: the log's own id, kept in its folder (ingest/log-identity.ts),
 * so a data folder moved or copied elsewhere keeps its checkpoints, and servers sharing stores never share a
 * name. Releases before it named the log by its folder's path; `startCairn` moves such a checkpoint over once.
 */
export function ingestLogNameOf(config: CairnConfig): string {
  return sharedLogName(ingestLogDir(config));
}

export interface StartOptions {
  readonly logStream?: NodeJS.WritableStream;
  /** Tests tighten limits and polling; production uses the defaults. */
  readonly verifier?: KeyVerifierOptions;
  /** Sign-in limits per address and per account (access/sessions/sign-in-limits.ts). */
  readonly signInLimits?: Partial<SignInLimitOptions>;
  /** Adds routes before the server listens (benchmarks add baseline twins of real routes). */
  readonly beforeListen?: (
    app: FastifyInstance,
    stores: { events: EventQuery; profiles: ProfileStore; sink: EventSink },
  ) => void;
  /** Recent beacons remembered so a re-sent copy is stored once (default 200,000; 0: none). */
  readonly rememberedBatches?: number;
  /** Limits and recent beacons shared with the other servers when PostgreSQL can (default); the benchmark's baseline turns it off. */
  readonly shareCounts?: boolean;
  /** Worker threads preparing beacons (default: cores − 1, 1 to 4; 0 prepares on the event loop). */
  readonly prepareThreads?: number;
  /** Ideas and votes the in-app feedback panel may send per hour (tests lower them). */
  readonly widgetLimits?: WidgetLimits;
  /** The built web app's folder (tests give a folder of their own; default `packages/web/dist`). */
  readonly webAppRoot?: string;
  /** Feedback webhooks: tests poll and retry in milliseconds; production uses the defaults (250 ms, 1 s …). */
  readonly webhooks?: Pick<
    WebhookDelivererOptions,
    "pollMs" | "retryBaseMs" | "retryCapMs" | "giveUpAfterMs" | "timeoutMs" | "resolve"
  >;
}

export async function startCairn(config: CairnConfig, options: StartOptions = {}): Promise<RunningCairn> {
  prepareDataDir(config);
  const metadata = await openMetadataStore(config.metadata);
  let events: EventStores | undefined;
  let profileStore: ProfileStore | undefined;
  try {
    await metadata.migrate();
    const log = ingestLogNameOf(config);
    events = await openEventStores(config.events, { log });
    await events.sink.migrate();
    profileStore = await openProfileStore(profilesTargetOf(config), { log });
    await profileStore.migrate();
    await profileStore.adoptCheckpoint(ingestLogDir(config));
  } catch (error) {
    await profileStore?.close();
    await events?.sink.close();
    await metadata.close();
    throw error;
  }
  const { sink, query, profileMirror } = events;
  const profiles = profileStore;
  const installation = await ensureInstallation(metadata);
  let accepting = true;
  const app = buildApp({
    logLevel: config.logLevel,
    trustProxy: config.trustProxy,
    logStream: options.logStream,
    accepting: () => accepting,
    engines: { metadata: metadata.engine, events: sink.engine },
  });
  const drops = new Map<DropReason, number>();
  // Read before the log is replayed: events of a visitor marked since they were acknowledged are dropped too.
  const doNotProcess = createDoNotProcessCache(metadata.db, {
    pollMs: options.verifier?.pollMs,
    onRevision: metadata.onRevision,
    onError: (error) => app.log.error({ err: error }, "reading the visitors marked do-not-process failed"),
  });
  await doNotProcess.ready();
  const prepare = createPreparePool({
    doNotProcess: doNotProcess.visitorsOf,
    threads: options.prepareThreads,
    timeoutMs: config.prepareTimeoutMs,
    onTimeout: (beacon) =>
      app.log.warn(
        { subscriptionId: beacon.subscriptionId, appId: beacon.appId, batchKey: beacon.batchKey },
        `preparing a logged beacon took longer than ${config.prepareTimeoutMs} ms (CAIRN_PREPARE_TIMEOUT_MS); its worker was replaced and the beacon skipped`,
      ),
  });
  let writer: IngestWriter;
  try {
    if (events.legacyProfiles) {
      const moved = await moveLegacyProfiles(
        events.legacyProfiles,
        profiles,
        await sink.loadedSequence(),
        (copied) => app.log.info({ copied }, "moving visitors, accounts and aliases to the profile store"),
      );
      if (moved > 0) app.log.info({ moved }, "visitors, accounts and aliases moved to the profile store");
    }
    const oldProfiles = legacyProfilesFileOf(config);
    if (oldProfiles && existsSync(oldProfiles))
      app.log.warn(
        { file: oldProfiles },
        "profiles are now kept in the PostgreSQL metadata database; this data folder's profiles.sqlite, from an earlier release, is not read or moved (docs/scale-out.md)",
      );
    writer = await openIngestWriter({ sink, profiles }, ingestLogDir(config), {
      prepare,
      acknowledge: config.acknowledge,
      onDrops: (counts) => {
        for (const [reason, n] of Object.entries(counts) as Array<[DropReason, number]>) {
          drops.set(reason, (drops.get(reason) ?? 0) + n);
        }
      },
      onLoadError: (error, attempt) =>
        app.log.error(
          { err: error, attempt },
          "loading acknowledged events into the stores failed; retrying",
        ),
      onRejected: (file, count) =>
        app.log.error(
          { file, events: count },
          "a store refused a logged record repeatedly; it was set aside",
        ),
    });
  } catch (error) {
    doNotProcess.close();
    await prepare.close();
    await profiles.close();
    await sink.close();
    await metadata.close();
    throw error;
  }
  if (writer.replayed > 0)
    app.log.info({ events: writer.replayed }, "loaded acknowledged events left in the ingest log");
  // On PostgreSQL, cache changes made on any server arrive pushed; the poll stays as the fallback.
  const onRevision = metadata.onRevision;
  const pollMs = options.verifier?.pollMs;
  const sharedCounts = options.shareCounts === false ? unsharedCounts : await shareCounts(metadata, app.log);
  const verifier = createKeyVerifier(metadata.db, { ...options.verifier, onRevision, shared: sharedCounts });
  const appKeys = createAppKeyCache(metadata.db, { pollMs, onRevision });
  const excludeList = createExcludeListCache(metadata.db, { pollMs, onRevision });
  const guides = createGuideDelivery({ metadata: metadata.db, profiles, pollMs, onRevision });

  let publicUrl = config.publicUrl;
  const policy = webhookPolicy(config.webhooks);
  registerRoutes(app, {
    metadata,
    verifier,
    writer,
    events: query,
    sink,
    profiles,
    profileMirror,
    appKeys,
    excludeList,
    guides,
    rememberedBatches: options.rememberedBatches,
    doNotProcess,
    sharedCounts,
    drops,
    publicUrl: () => publicUrl,
    signInLimits: options.signInLimits,
    widgetLimits: options.widgetLimits,
    webhookPolicy: policy,
    publicRateLimits: config.publicRate,
    ...(options.webAppRoot ? { webAppRoot: options.webAppRoot } : {}),
  });
  options.beforeListen?.(app, { events: query, profiles, sink });
  const webhooks = startWebhookDeliverer(metadata.db, {
    ...options.webhooks,
    policy,
    onProblem: (problem) => {
      if (problem.kind === "store_error")
        app.log.error({ err: problem.error }, "webhook delivery: store error");
      else if (problem.kind === "refused")
        app.log.warn(problem, "webhook delivery refused by the address policy; it will not be sent");
      else if (problem.kind === "gave_up")
        app.log.warn(problem, "webhook delivery given up after a day of failures");
      else app.log.info(problem, "webhook delivery attempt failed; it will be retried");
    },
  });

  let stopping: Promise<void> | null = null;
  async function shutdown(): Promise<void> {
    stopping ??= (async () => {
      accepting = false;
      await app.close();
      // Before the metadata store closes: it waits for the outcome of requests in flight to be written.
      await webhooks.close();
      await writer.close();
      await prepare.close();
      doNotProcess.close();
      await verifier.close();
      await sharedCounts.close();
      appKeys.close();
      excludeList.close();
      guides.close();
      await profiles.close();
      await sink.close();
      await metadata.close();
    })();
    return stopping;
  }

  try {
    await listenOrExplain(app, config);
  } catch (error) {
    await shutdown();
    throw error;
  }
  const address = app.server.address();
  publicUrl =
    config.port === 0 &&
    config.sources.publicUrl === "default" &&
    address !== null &&
    typeof address === "object"
      ? config.publicUrl.replace(/:0$/, `:${address.port}`)
      : config.publicUrl;
  return {
    app,
    metadata,
    sink,
    events: query,
    profiles,
    profileMirror,
    writer,
    verifier,
    drops,
    installation,
    publicUrl,
    shutdown,
  };
}
