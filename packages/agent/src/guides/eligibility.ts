import type { Guide, GuidePayload, GuideStep } from "../guide-loader/guide-contract.js";

// Which guide shows itself, and from which step (agent-wire.md §7.3–7.4). Pure functions of the guide.json
// answer, the page URL, the time and what this page already did (`local`), so they are tested without a DOM.

/** What this page did since its last guide.json answer, which the server may not know yet. */
export interface LocalGuideState {
  /** Guides advanced past their last step, dismissed or snoozed on this page. */
  readonly finished: ReadonlySet<string>;
  /** When this page last dismissed, finished or snoozed an automatic guide (for throttling). */
  readonly lastAutoEndAt: number;
}

/** Pendo resumes a walkthrough across page loads for at most 12 hours. */
export const resumeWindowMs = 12 * 3600_000;

const unitMs: Record<string, number> = { Minute: 60_000, Hour: 3600_000, Day: 86_400_000 };

/** `launchMethod` may join several with `-` (`auto-badge`): Pendo tests it as a substring. */
export function launches(guide: Guide, method: string): boolean {
  return typeof guide.launchMethod === "string" && guide.launchMethod.indexOf(method) >= 0;
}

/** `regexUrlRule` tested against the normalized URL; no rule (or one that does not compile) decides as noted. */
export function stepMatchesUrl(step: GuideStep, url: string): boolean {
  if (!step.regexUrlRule) return true;
  try {
    return new RegExp(step.regexUrlRule).test(url);
  } catch {
    return false;
  }
}

/** Inside its time box (`showsAfter`, `expiresAfter`). */
export function inTimebox(guide: Guide, now: number): boolean {
  return !(
    (typeof guide.showsAfter === "number" && now < guide.showsAfter) ||
    (typeof guide.expiresAfter === "number" && now >= guide.expiresAfter)
  );
}

/** A step advanced or dismissed, or snoozed until later: the guide does not show itself again. */
export function isFinished(guide: Guide, now: number, local: LocalGuideState): boolean {
  if (local.finished.has(guide.id)) return true;
  return guide.steps.some(
    (s) =>
      s.seenState === "advanced" ||
      s.seenState === "dismissed" ||
      (s.seenState === "snoozed" && (s.snoozeEndTime === undefined || s.snoozeEndTime > now)),
  );
}

/** Throttling (`throttling` with `latestDismissedAutoAt`, `finalAdvancedAutoAt`, `latestSnoozedAutoAt`). */
export function isThrottled(payload: GuidePayload, now: number, local: LocalGuideState): boolean {
  const t = payload.throttling;
  if (!t?.enabled || !t.interval) return false;
  const last = Math.max(
    payload.latestDismissedAutoAt ?? 0,
    payload.finalAdvancedAutoAt ?? 0,
    payload.latestSnoozedAutoAt ?? 0,
    local.lastAutoEndAt,
  );
  return last > 0 && now - last < t.interval * (unitMs[t.unit ?? "Day"] ?? unitMs.Day ?? 0);
}

/**
 * The automatic guides that may show on this page, best first: in `autoOrdering`'s order, then the rest by
 * `attributes.priority` (higher first). Only the first one that can be drawn is shown: one guide at a time.
 */
export function autoCandidates(
  payload: GuidePayload,
  url: string,
  now: number,
  local: LocalGuideState,
): Guide[] {
  const throttled = isThrottled(payload, now, local);
  const order = payload.autoOrdering ?? [];
  const rank = (g: Guide) => {
    const at = order.indexOf(g.id);
    return at < 0 ? order.length : at;
  };
  return payload.guides
    .filter(
      (g) =>
        launches(g, "auto") &&
        g.steps[0] !== undefined &&
        inTimebox(g, now) &&
        !isFinished(g, now, local) &&
        stepMatchesUrl(g.steps[0], url) &&
        (!throttled || g.attributes?.overrideAutoThrottling === true),
    )
    .sort((a, b) => rank(a) - rank(b) || (b.attributes?.priority ?? 0) - (a.attributes?.priority ?? 0));
}

/**
 * A walkthrough to continue on this page from `lastGuideStepSeen` (at most 12 hours old): the destination of
 * an advance (or the step after it), or a step other than the first that was seen and not acted on.
 */
export function resumePoint(
  payload: GuidePayload,
  url: string,
  now: number,
  local: LocalGuideState,
): { guide: Guide; stepIndex: number } | null {
  const last = payload.lastGuideStepSeen;
  if (!last.guideId || !last.guideStepId || typeof last.time !== "number") return null;
  if (now - last.time > resumeWindowMs) return null;
  const guide = payload.guides.find((g) => g.id === last.guideId);
  if (!guide || guide.attributes?.doNotResume || local.finished.has(guide.id) || !inTimebox(guide, now))
    return null;
  const at = guide.steps.findIndex((s) => s.id === last.guideStepId);
  if (at < 0) return null;
  let stepIndex = -1;
  if (last.state === "advanced") {
    const destination = last.destinationStepId
      ? guide.steps.findIndex((s) => s.id === last.destinationStepId)
      : -1;
    stepIndex = destination >= 0 ? destination : at + 1;
  } else if (last.state === "active" && at > 0) {
    stepIndex = at;
  }
  const step = guide.steps[stepIndex];
  if (!step || step.seenState === "dismissed" || step.seenState === "advanced") return null;
  return stepMatchesUrl(step, url) ? { guide, stepIndex } : null;
}
