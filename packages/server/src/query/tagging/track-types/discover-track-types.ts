import { newId } from "../../../platform/ids/new-id.js";
import type { EventQuery } from "../../../store/events/event-query.js";
import type { MetadataStore } from "../../../store/metadata/metadata-store.js";
import { discoveryActor } from "../shared/actor.js";
import { taggingLimits } from "../shared/tagging-limits.js";
import { bumpTaggingRevision, readTaggingRevision } from "../shared/tagging-revision.js";
import { compileTrackNames, type TrackNameRow } from "./track-names-query.js";

/** What one discovery did. */
export interface DiscoveryOutcome {
  /** Track types created for names seen for the first time. */
  readonly created: number;
  /** Deleted track types brought back by events received after their deletion. */
  readonly revived: number;
  /** Whether every track event of the subscription was read (else only those received lately). */
  readonly fullScan: boolean;
}

/**
 * Events may become readable a while after they were received (the loader's batches, a backlog): each scan
 * reads again what was received this long before the previous one started, so nothing loaded late is missed.
 */
const overlapMs = 5 * 60_000;
/** A replay after a crash can load events received long ago; a full scan this often catches those too. */
const fullScanEveryMs = 60 * 60_000;

interface SubscriptionState {
  /** Events received after this (epoch ms) are read next time; null: read them all. */
  since: number | null;
  lastFullScan: number;
  /** The track types known for each `appId \0 trackTypeName`: deleted ones with their deletion time (ms). */
  known: Map<string, number | null>;
  apps: Set<string>;
  /** The tagging revision `known` was read at; another one means someone changed track types. */
  revision: number | null;
  running: Promise<DiscoveryOutcome> | null;
  queued: Promise<DiscoveryOutcome> | null;
}

// Per event store (one per server, or per CLI run) and per subscription; gone with the store.
const states = new WeakMap<EventQuery, Map<string, SubscriptionState>>();

function stateOf(events: EventQuery, subscriptionId: string): SubscriptionState {
  let bySubscription = states.get(events);
  if (!bySubscription) {
    bySubscription = new Map();
    states.set(events, bySubscription);
  }
  let state = bySubscription.get(subscriptionId);
  if (!state) {
    state = {
      since: null,
      lastFullScan: 0,
      known: new Map(),
      apps: new Set(),
      revision: null,
      running: null,
      queued: null,
    };
    bySubscription.set(subscriptionId, state);
  }
  return state;
}

const keyOf = (appId: string, name: string) => `${appId}\u0000${name}`;

async function refreshKnown(metadata: MetadataStore, subscriptionId: string, state: SubscriptionState) {
  const revision = await readTaggingRevision(metadata.db);
  if (revision === state.revision) return;
  const [rows, apps] = await Promise.all([
    metadata.db
      .selectFrom("track_types")
      .select(["app_id", "track_type_name", "deleted_at"])
      .where("subscription_id", "=", subscriptionId)
      .execute(),
    metadata.db.selectFrom("apps").select("id").where("subscription_id", "=", subscriptionId).execute(),
  ]);
  state.known = new Map(
    rows.map((r) => [
      keyOf(r.app_id, r.track_type_name),
      r.deleted_at === null ? null : Date.parse(r.deleted_at),
    ]),
  );
  state.apps = new Set(apps.map((a) => a.id));
  state.revision = revision;
}

async function discover(
  metadata: MetadataStore,
  events: EventQuery,
  subscriptionId: string,
  state: SubscriptionState,
): Promise<DiscoveryOutcome> {
  await refreshKnown(metadata, subscriptionId, state);
  const startedAt = Date.now();
  const fullScan = state.since === null || startedAt - state.lastFullScan >= fullScanEveryMs;
  const rows = await events.run<TrackNameRow>(
    compileTrackNames(events.dialect, subscriptionId, fullScan ? null : state.since),
  );
  const fresh: TrackNameRow[] = [];
  const revive: TrackNameRow[] = [];
  for (const row of rows) {
    // Names longer than a track type holds, or of apps this subscription does not have, are left alone.
    if (!state.apps.has(row.appId) || row.trackName.length > taggingLimits.trackTypeNameLength) continue;
    const known = state.known.get(keyOf(row.appId, row.trackName));
    if (known === undefined) fresh.push(row);
    else if (known !== null && Number(row.lastReceivedAt) > known) revive.push(row);
  }
  let created = 0;
  let revived = 0;
  if (fresh.length > 0 || revive.length > 0) {
    await metadata.db.transaction().execute(async (trx) => {
      const at = new Date().toISOString();
      for (const row of fresh) {
        // Another server (or a concurrent call) may insert the same name first: the unique key decides.
        const result = await trx
          .insertInto("track_types")
          .values({
            id: newId("trk"),
            subscription_id: subscriptionId,
            app_id: row.appId,
            name: row.trackName,
            track_type_name: row.trackName,
            track_type_rules: "[]",
            event_property_name_list: "[]",
            created_at: at,
            created_by: discoveryActor.id,
            updated_at: at,
            updated_by: discoveryActor.id,
          })
          .onConflict((oc) => oc.columns(["subscription_id", "app_id", "track_type_name"]).doNothing())
          .executeTakeFirst();
        created += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      for (const row of revive) {
        const result = await trx
          .updateTable("track_types")
          .set({ deleted_at: null, updated_at: at, updated_by: discoveryActor.id })
          .where("subscription_id", "=", subscriptionId)
          .where("app_id", "=", row.appId)
          .where("track_type_name", "=", row.trackName)
          .where("deleted_at", "<", new Date(Number(row.lastReceivedAt)).toISOString())
          .executeTakeFirst();
        revived += Number(result.numUpdatedRows);
      }
      if (created + revived > 0) await bumpTaggingRevision(trx);
    });
    // Read again next time: the revision moved (ours, or a concurrent writer's).
    state.revision = null;
  }
  state.since = Math.max(state.since ?? 0, startedAt - overlapMs);
  if (fullScan) state.lastFullScan = startedAt;
  return { created, revived, fullScan };
}

/**
 * Creates the track types that the subscription's track events name and that do not exist yet (name = the
 * track event's name), reading the event store through its dialect. Idempotent and safe under concurrent
 * calls, in one process (calls share one scan and queue at most one more) and across servers (the unique key
 * decides). Cheap when nothing is new: it remembers what it saw and reads only events received lately, with a
 * full scan once an hour. Call it before track types are listed; the aggregation code calls it too.
 */
export function discoverTrackTypes(
  metadata: MetadataStore,
  events: EventQuery,
  subscriptionId: string,
): Promise<DiscoveryOutcome> {
  const state = stateOf(events, subscriptionId);
  const run = () => discover(metadata, events, subscriptionId, state);
  if (state.queued) return state.queued;
  if (state.running) {
    // Events loaded after the running scan began must be seen: queue one more scan, shared by every caller.
    const queued: Promise<DiscoveryOutcome> = state.running
      .catch(() => undefined)
      .then(() => {
        // Started: a caller from now on needs a scan after this one.
        if (state.queued === queued) state.queued = null;
        return run();
      });
    state.queued = queued;
    state.running = queued;
    void queued
      .finally(() => {
        if (state.running === queued) state.running = null;
      })
      .catch(() => undefined);
    return queued;
  }
  const running = run();
  state.running = running;
  void running
    .finally(() => {
      if (state.running === running) state.running = null;
    })
    .catch(() => undefined);
  return running;
}
