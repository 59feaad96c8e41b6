import type { ButtonAction, Guide, GuideStep } from "../guide-loader/guide-contract.js";

// The props of guide.gif / poll.gif events (agent-wire.md §7.5); the core agent adds the envelope.

/** What every guide event carries: the guide, the step, ms since the step was seen, the guide's language. */
export function baseProps(guide: Guide, step: GuideStep, duration: number): Record<string, unknown> {
  return {
    guide_id: guide.id,
    guide_step_id: step.id,
    duration,
    ...(guide.language ? { language: guide.language } : {}),
  };
}

/** `guideSeen`: why the step shows, its `lastUpdatedAt`, and the types of its polls. */
export function seenProps(guide: Guide, step: GuideStep, reason: string): Record<string, unknown> {
  const pollTypes = (step.pollIds ?? []).flatMap((id) => {
    const type = guide.polls?.find((p) => p.id === id)?.attributes?.type;
    return type ? [type] : [];
  });
  return {
    ...baseProps(guide, step, 0),
    reason,
    last_updated_at: step.lastUpdatedAt ?? 0,
    ...(pollTypes.length > 0 ? { step_poll_types: pollTypes } : {}),
  };
}

/** A button's action as `guideActivity.ui_element_actions` lists it, in Pendo's names. */
export function activityAction(action: ButtonAction): Record<string, unknown> {
  switch (action.type) {
    case "snoozeGuide":
      return { action: "guideSnoozed", duration: action.duration.value, timeUnit: action.duration.unit };
    case "openLink":
      return { action: "openLink", url: action.url, target: action.newTab === false ? "_self" : "_blank" };
    default:
      return { action: action.type };
  }
}

const unitMs = { Hour: 3600_000, Day: 86_400_000, Week: 7 * 86_400_000 } as const;

/** `guideSnoozed.snooze_duration` in ms; Pendo's default is one day. */
export function snoozeMs(action: ButtonAction): number {
  return action.type === "snoozeGuide" ? action.duration.value * unitMs[action.duration.unit] : unitMs.Day;
}
