/**
 * Per-visitor guide step state (agent-wire.md §7.4): what guide.json answers in `steps[].seenState` and
 * `lastGuideStepSeen`, so a guide dismissed on one device stays dismissed on every other. Written by the ingest
 * load from guide events, in the profile store's `apply` transaction; read by primary key.
 */

export type GuideStepStateName = "active" | "advanced" | "dismissed" | "snoozed";

/**
 * One guide event as a change to a (subscription, app, visitor, guide, step) state. Patches are applied in
 * order; per key the event with the newest browser time sets the state (a later event of the same time wins),
 * so a late, older event never overwrites a newer state. Dismissals are counted whatever their order.
 */
export interface GuideStatePatch {
  readonly subscriptionId: string;
  readonly appId: string;
  readonly visitorId: string;
  readonly guideId: string;
  readonly stepId: string;
  readonly state: GuideStepStateName;
  /** The event's browser time (epoch ms): the state's `lastSeenAt`. */
  readonly at: number;
  readonly seenReason: string | null;
  /** guideAdvanced's `destination_step_id`; null for other events. */
  readonly destinationStepId: string | null;
  /** guideSnoozed: browser time + `snooze_duration`; null for other events. */
  readonly snoozeEndTime: number | null;
  /** 1 for a guideDismissed, else 0: added to the stored count. */
  readonly dismissals: number;
}

/** A step's stored state, as guide.json answers it. */
export interface GuideStepState {
  readonly guideId: string;
  readonly stepId: string;
  readonly state: GuideStepStateName;
  /** Browser time (epoch ms) of the newest event of this step. */
  readonly lastSeenAt: number;
  /** Of the newest event (its `reason` for guideSeen, `seen_reason` for the others). */
  readonly seenReason: string | null;
  readonly destinationStepId: string | null;
  /** Every dismissal of the step (of the visitor and of its anonymous aliases). */
  readonly dismissCount: number;
  readonly snoozeEndTime: number | null;
}

/** The agent's `lastGuideStepSeen`: the visitor's newest step state. */
export interface LastGuideStepSeen {
  readonly guideId: string;
  readonly guideStepId: string;
  readonly time: number;
  readonly state: GuideStepStateName;
  readonly seenReason: string | null;
  readonly visitorId: string;
  readonly destinationStepId?: string;
}

/** States seen before `at` are ignored: of one guide, or of every guide when `guideId` is null. */
export interface GuideReset {
  readonly guideId: string | null;
  readonly at: number;
}

export interface GuideStatesQuery {
  readonly subscriptionId: string;
  readonly appId: string;
  readonly visitorId: string;
  /** The visitor's resets (kept by the caller); a state older than a reset that covers it is left out. */
  readonly resets?: readonly GuideReset[];
}

export interface GuideStates {
  readonly steps: GuideStepState[];
  readonly lastGuideStepSeen: LastGuideStepSeen | null;
}

/** A stored row: the visitor's own or one of its anonymous aliases', with the position of the event that set it. */
export interface GuideStateRow extends GuideStepState {
  readonly stateSequence: number;
  readonly stateOrdinal: number;
}

/** Newer: later browser time, then later log sequence, then later within the load. */
function newer(a: GuideStateRow, b: GuideStateRow): boolean {
  if (a.lastSeenAt !== b.lastSeenAt) return a.lastSeenAt > b.lastSeenAt;
  if (a.stateSequence !== b.stateSequence) return a.stateSequence > b.stateSequence;
  return a.stateOrdinal > b.stateOrdinal;
}

/**
 * The answer from the rows of the visitor and of its aliases: rows older than a reset covering them are left
 * out; per step, the newest row's state, with the dismissals of all the rows kept; and the newest of all.
 * Engine-independent, so every engine answers alike.
 */
export function guideStatesFromRows(rows: readonly GuideStateRow[], query: GuideStatesQuery): GuideStates {
  const resets = query.resets ?? [];
  const kept = rows.filter(
    (row) => !resets.some((r) => (r.guideId === null || r.guideId === row.guideId) && row.lastSeenAt < r.at),
  );
  const perStep = new Map<string, { row: GuideStateRow; dismissCount: number }>();
  for (const row of kept) {
    const key = `${row.guideId}\u0000${row.stepId}`;
    const seen = perStep.get(key);
    if (!seen) perStep.set(key, { row, dismissCount: row.dismissCount });
    else
      perStep.set(key, {
        row: newer(row, seen.row) ? row : seen.row,
        dismissCount: seen.dismissCount + row.dismissCount,
      });
  }
  let newest: GuideStateRow | null = null;
  const steps: GuideStepState[] = [];
  for (const { row, dismissCount } of perStep.values()) {
    if (!newest || newer(row, newest)) newest = row;
    steps.push({
      guideId: row.guideId,
      stepId: row.stepId,
      state: row.state,
      lastSeenAt: row.lastSeenAt,
      seenReason: row.seenReason,
      destinationStepId: row.destinationStepId,
      dismissCount,
      snoozeEndTime: row.snoozeEndTime,
    });
  }
  steps.sort((a, b) => (a.guideId === b.guideId ? cmp(a.stepId, b.stepId) : cmp(a.guideId, b.guideId)));
  return {
    steps,
    lastGuideStepSeen: newest
      ? {
          guideId: newest.guideId,
          guideStepId: newest.stepId,
          time: newest.lastSeenAt,
          state: newest.state,
          seenReason: newest.seenReason,
          visitorId: query.visitorId,
          ...(newest.destinationStepId ? { destinationStepId: newest.destinationStepId } : {}),
        }
      : null,
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
