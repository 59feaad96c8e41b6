import type { StoredEvent } from "../store/events/stored-event.js";
import type { GuideStatePatch, GuideStepStateName } from "../store/profiles/guide-step-states.js";

/**
 * Guide events that set a step's state (agent-wire.md §7.4, §7.5). guideSnoozeCanceled (a snoozed guide shown
 * again) ends the snooze: the step is active again. guideActivity, guideTimeout, guideNotSeen and
 * pollResponse leave the state as it is.
 */
export const stateOfEvent: Readonly<Record<string, GuideStepStateName>> = {
  guideSeen: "active",
  guideAdvanced: "advanced",
  guideDismissed: "dismissed",
  guideSnoozed: "snoozed",
  guideSnoozeCanceled: "active",
};

/** The agent's default snooze (§7.5), when `snooze_duration` is missing. */
export const defaultSnoozeMs = 86_400_000;
const maxGuideIdLength = 512;

function text(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value.slice(0, maxGuideIdLength) : null;
}

export function isGuideStateEvent(type: string): boolean {
  return Object.hasOwn(stateOfEvent, type);
}

/**
 * The state change one guide event makes, or null when it makes none (another type, or no guide or step id).
 * Its time is the event's browser time as stored (`occurredAt`, which replaces a clock more than a week off).
 */
export function guideStatePatch(event: StoredEvent, props: Record<string, unknown>): GuideStatePatch | null {
  const state = Object.hasOwn(stateOfEvent, event.type) ? stateOfEvent[event.type] : undefined;
  const guideId = text(props.guide_id);
  const stepId = text(props.guide_step_id);
  if (!state || guideId === null || stepId === null) return null;
  const snooze = props.snooze_duration;
  return {
    subscriptionId: event.subscriptionId,
    appId: event.appId,
    visitorId: event.visitorId,
    guideId,
    stepId,
    state,
    at: event.occurredAt,
    seenReason: text(event.type === "guideSeen" ? props.reason : props.seen_reason),
    destinationStepId: event.type === "guideAdvanced" ? text(props.destination_step_id) : null,
    snoozeEndTime:
      event.type === "guideSnoozed"
        ? event.occurredAt +
          (typeof snooze === "number" && Number.isFinite(snooze) && snooze >= 0 ? snooze : defaultSnoozeMs)
        : null,
    dismissals: event.type === "guideDismissed" ? 1 : 0,
  };
}
