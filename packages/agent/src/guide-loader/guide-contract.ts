/**
 * What guide.json answers (agent-wire.md §7.2–7.3, as far as Cairn's agent reads it), and what the core agent
 * hands the lazily loaded guide bundle (`dist/guides.js`) and gets back. Types only: the bundles share no code.
 */

export type ButtonAction =
  | { type: "advanceGuide" }
  | { type: "previousStep" }
  | { type: "dismissGuide" }
  | { type: "submitPoll" }
  | { type: "snoozeGuide"; duration: { value: number; unit: "Hour" | "Day" | "Week" } }
  | { type: "openLink"; url: string; newTab?: boolean };

/** Cairn's own step content (the server's `document`): flat blocks of plain data. */
export type ContentBlock =
  | { type: "heading"; text: string; level?: 1 | 2 | 3 }
  | { type: "text"; text: string }
  | { type: "image"; url: string; alt: string }
  | { type: "button"; label: string; action: ButtonAction }
  | { type: "poll"; pollId: string };

/** A step's per-visitor state as the server records it from guide events (§7.4). */
export type SeenState = "active" | "advanced" | "dismissed" | "snoozed" | "notSeen";

export interface GuideStep {
  id: string;
  guideId: string;
  type: string;
  /** The anchor's CSS selector; empty: no anchor (a lightbox or banner). */
  elementPathRule?: string;
  /** A JavaScript regex tested against the normalized URL; absent: every page. */
  regexUrlRule?: string;
  lastUpdatedAt?: number;
  pollIds?: string[];
  closeButton?: boolean;
  document?: { blocks: ContentBlock[] };
  seenState?: SeenState;
  seenReason?: string;
  lastSeenAt?: number;
  snoozeEndTime?: number;
}

export interface GuidePoll {
  id: string;
  numericResponses?: boolean;
  attributes?: { type?: string };
  /** Cairn's poll type: yesNo, nps, freeText, multipleChoice. */
  type?: string;
  question?: string;
  choices?: string[];
}

export interface Guide {
  id: string;
  name: string;
  /** auto, api, badge, dom, launcher, possibly joined with `-`: read with a substring test, as Pendo does. */
  launchMethod: string;
  isMultiStep?: boolean;
  language?: string;
  showsAfter?: number | null;
  expiresAfter?: number | null;
  attributes?: {
    priority?: number;
    overrideAutoThrottling?: boolean;
    doNotResume?: boolean;
    activation?: { selector: string; event?: string[] };
  };
  polls?: GuidePoll[];
  steps: GuideStep[];
}

export interface LastGuideStepSeen {
  guideId?: string;
  guideStepId?: string;
  time?: number;
  state?: string;
  seenReason?: string;
  destinationStepId?: string;
}

export interface GuidePayload {
  guides: Guide[];
  lastGuideStepSeen: LastGuideStepSeen;
  id?: string | number;
  normalizedUrl?: string;
  autoOrdering?: string[];
  throttling?: { enabled?: boolean; interval?: number; unit?: string };
  latestDismissedAutoAt?: number;
  finalAdvancedAutoAt?: number;
  latestSnoozedAutoAt?: number;
  statusCode?: number;
}

/** What the guide bundle may use of the core agent. */
export interface GuideHost {
  readonly win: Window;
  readonly now: () => number;
  /** The page URL as events carry it (after the page's `sanitizeUrl`). */
  readonly url: () => string;
  /** Records a guide event on guide.gif, or on poll.gif for `pollResponse`, and sends it at once. */
  readonly emit: (type: string, props: object) => void;
}

export interface ActiveGuide {
  guide: Guide;
  step: GuideStep;
  stepIndex: number;
}

export interface GuideRunner {
  /** A new guide.json answer: re-evaluates what is shown (SPA navigation, identify). */
  update(payload: GuidePayload): void;
  /** Shows a guide from its first step whatever its launch method or state (`pendo.showGuideById`). */
  show(guideId: string): boolean;
  /** Guides of the last answer that may show on this page. */
  activeGuides(): Guide[];
  /** The guide shown now, if any. */
  activeGuide(): ActiveGuide | null;
  advance(): void;
  previous(): void;
  dismiss(): void;
  stop(): void;
}

export type MountGuides = (host: GuideHost) => GuideRunner;

/** The guide bundle calls `window.pendo[guidesLoadedHook](mountGuides)` when it runs. */
export const guidesLoadedHook = "_guidesLoaded";
