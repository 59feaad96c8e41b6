import type { GuideStepStateName } from "../../store/profiles/guide-step-states.js";
import type { PendoGuide } from "../guide-shape.js";

/** A step's per-visitor fields (agent-wire.md §7.3). */
export interface StepSeen {
  seenState: GuideStepStateName | "notSeen";
  seenReason?: string;
  lastSeenAt?: number;
  dismissCount?: number;
  snoozeEndTime?: number;
  destinationStepId?: string;
}

/**
 * A guide as guide.json sends it, serialized once per version: the guide's fields up to its steps, and each
 * step's fields without the closing brace, so an answer adds the visitor's part to cached text instead of
 * serializing tens of kilobytes per request.
 */
export interface SerializedGuide {
  readonly head: string;
  readonly steps: readonly { readonly id: string; readonly open: string; readonly urlTail: string }[];
}

/**
 * Pendo's agent reads these of a guide (agent-wire.md §7.3); the admin-only fields stay on the server. A step's
 * building blocks (kilobytes each) are not inline: Pendo's agent fetches them from `domUrl` when it shows the
 * step, a URL that changes with the guide, so it is cached for good. Cairn's agent draws the `document`.
 */
export function serializeGuide(guide: PendoGuide): SerializedGuide {
  const fields = {
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
  };
  return {
    head: `${JSON.stringify(fields).slice(0, -1)},"steps":[`,
    steps: guide.steps.map(({ domJson: _inline, ...step }) => ({
      id: step.id,
      open: JSON.stringify(step).slice(0, -1),
      urlTail: jsonText(`/${guide.id}/${step.id}/${step.lastUpdatedAt}.dom.json`),
    })),
  };
}

/** Text as it appears inside a JSON string (escaped, without the quotes). */
export function jsonText(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** The guide with one visitor's state on each step; `contentBase` is already JSON-escaped (jsonText). */
export function writeGuide(
  guide: SerializedGuide,
  contentBase: string,
  resetAt: number,
  seen: (stepId: string) => StepSeen,
): string {
  let out = guide.head;
  guide.steps.forEach((step, index) => {
    if (index > 0) out += ",";
    out += `${step.open},"domUrl":"${contentBase}${step.urlTail}","resetAt":${resetAt},${JSON.stringify(seen(step.id)).slice(1)}`;
  });
  return `${out}]}`;
}
