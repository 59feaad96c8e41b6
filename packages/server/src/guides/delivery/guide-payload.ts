import type {
  GuideStates,
  GuideStepState,
  GuideStepStateName,
} from "../../store/profiles/guide-step-states.js";
import type { PendoGuide } from "../guide-shape.js";
import type { LiveGuide } from "./live-guides.js";

/** What one visitor's guide.json is built from. */
export interface GuidePayloadInput {
  readonly guides: readonly LiveGuide[];
  readonly visitorId: string;
  /** The segments (of those the guides name) the visitor is a member of. */
  readonly segments: ReadonlySet<string>;
  readonly states: GuideStates;
  /** The latest reset per guide id (`*`: every guide), epoch ms. */
  readonly resets: ReadonlyMap<string, number>;
  /** At most one automatic guide per this many hours; 0: no throttling. */
  readonly throttleHours: number;
  readonly now: number;
  /** The request's `id`, echoed so the agent can drop a stale answer. */
  readonly requestId?: string;
  readonly url?: string;
}

type StepSeen = {
  seenState: GuideStepStateName | "notSeen";
  seenReason?: string;
  lastSeenAt?: number;
  dismissCount?: number;
  snoozeEndTime?: number;
  destinationStepId?: string;
};

/** Pendo's agent reads these of a guide (agent-wire.md §7.3); the admin-only fields stay on the server. */
function deliveredGuide(guide: PendoGuide, seen: (stepId: string) => StepSeen, resetAt: number) {
  return {
    id: guide.id,
    name: guide.name,
    appId: guide.appId,
    state: guide.state,
    launchMethod: guide.launchMethod,
    isMultiStep: guide.isMultiStep,
    publishedAt: guide.publishedAt ?? guide.lastUpdatedAt,
    ...(guide.showsAfter === null ? {} : { showsAfter: guide.showsAfter }),
    ...(guide.expiresAfter === null ? {} : { expiresAfter: guide.expiresAfter }),
    attributes: guide.attributes,
    polls: guide.polls,
    steps: guide.steps.map((step) => ({ ...step, resetAt, ...seen(step.id) })),
  };
}

export type DeliveredGuide = ReturnType<typeof deliveredGuide>;

function stepSeen(state: GuideStepState | undefined): StepSeen {
  if (!state) return { seenState: "notSeen" };
  return {
    seenState: state.state,
    ...(state.seenReason === null ? {} : { seenReason: state.seenReason }),
    lastSeenAt: state.lastSeenAt,
    dismissCount: state.dismissCount,
    ...(state.snoozeEndTime === null ? {} : { snoozeEndTime: state.snoozeEndTime }),
    ...(state.destinationStepId === null ? {} : { destinationStepId: state.destinationStepId }),
  };
}

/** Whether the visitor may see the guide now: staged to them or public to their segment, within its dates. */
function eligible(live: LiveGuide, input: GuidePayloadInput): boolean {
  const { guide } = live;
  if (live.startsAt !== null && input.now < live.startsAt) return false;
  if (live.endsAt !== null && input.now >= live.endsAt) return false;
  if (guide.state === "staged") return live.stagedVisitors.has(input.visitorId);
  return guide.segmentId === null || input.segments.has(guide.segmentId);
}

/** The URL with its query keys sorted, as the agent matches `regexUrlRule` against it (pendo-api.md §2.4). */
export function normalizedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const sorted = [...parsed.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  parsed.search = new URLSearchParams(sorted).toString();
  return parsed.toString();
}

/** The newest time, over the automatic guides, that a step reached `state` (only last steps for `advanced`). */
function latestAutoAt(guides: readonly PendoGuide[], states: GuideStates, state: GuideStepStateName) {
  let latest: number | undefined;
  for (const guide of guides) {
    if (!guide.launchMethod.includes("auto")) continue;
    const lastStep = guide.steps.at(-1)?.id;
    for (const s of states.steps) {
      if (s.guideId !== guide.id || s.state !== state) continue;
      if (state === "advanced" && s.stepId !== lastStep) continue;
      if (latest === undefined || s.lastSeenAt > latest) latest = s.lastSeenAt;
    }
  }
  return latest;
}

/**
 * One visitor's guide.json (agent-wire.md §7.2): the guides they are eligible for, each step with their state
 * (§7.4), the newest step they saw, the order automatic guides are tried in, and the throttle with its clocks.
 */
export function guidePayload(input: GuidePayloadInput) {
  const shown = input.guides.filter((live) => eligible(live, input)).map((live) => live.guide);
  const stateOf = new Map(input.states.steps.map((s) => [`${s.guideId}\u0000${s.stepId}`, s]));
  const guides = shown.map((guide) =>
    deliveredGuide(
      guide,
      (stepId) => stepSeen(stateOf.get(`${guide.id}\u0000${stepId}`)),
      Math.max(input.resets.get(guide.id) ?? 0, input.resets.get("*") ?? 0),
    ),
  );
  const last = input.states.lastGuideStepSeen;
  const throttled = input.throttleHours > 0;
  const clocks = throttled
    ? {
        latestDismissedAutoAt: latestAutoAt(shown, input.states, "dismissed"),
        finalAdvancedAutoAt: latestAutoAt(shown, input.states, "advanced"),
        latestSnoozedAutoAt: latestAutoAt(shown, input.states, "snoozed"),
      }
    : {};
  return {
    ...(input.requestId === undefined ? {} : { id: input.requestId }),
    ...(input.url === undefined ? {} : { normalizedUrl: normalizedUrl(input.url) }),
    guides,
    // Must be truthy, or the agent shuts guides down (agent-wire.md §7.2).
    lastGuideStepSeen: last
      ? { ...last, isMultiStep: shown.find((g) => g.id === last.guideId)?.isMultiStep ?? false }
      : { isMultiStep: false, state: "" },
    // Already highest priority first.
    autoOrdering: shown.filter((g) => g.launchMethod.includes("auto")).map((g) => g.id),
    throttling: throttled
      ? { enabled: true, interval: input.throttleHours, unit: "Hour", count: 1 }
      : { enabled: false },
    ...Object.fromEntries(Object.entries(clocks).filter(([, at]) => at !== undefined)),
    guideWidget: { enabled: false, data: {} },
    features: [],
    segmentFlags: [],
    designerEnabled: false,
  };
}

export type GuidePayload = ReturnType<typeof guidePayload>;
