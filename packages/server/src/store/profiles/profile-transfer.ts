import type { GuideStepStateName } from "./guide-step-states.js";
import type { StoredAccount, StoredVisitor, VisitorAlias } from "./profile-records.js";

/**
 * A guide step state row as stored, with its whole key and the positions that order it: what `cairn export`
 * copies and `cairn import` writes back.
 */
export interface StoredGuideStepState {
  readonly subscriptionId: string;
  readonly appId: string;
  readonly visitorId: string;
  readonly guideId: string;
  readonly stepId: string;
  readonly state: GuideStepStateName;
  readonly lastSeenAt: number;
  readonly seenReason: string | null;
  readonly destinationStepId: string | null;
  readonly dismissCount: number;
  readonly snoozeEndTime: number | null;
  readonly stateSequence: number;
  readonly stateOrdinal: number;
  readonly updatedSequence: number;
}

/** Records written back as given by `ProfileStore.restore`, each replacing what is stored under its key. */
export interface ProfileRestore {
  readonly visitors?: readonly StoredVisitor[];
  readonly accounts?: readonly StoredAccount[];
  readonly aliases?: readonly VisitorAlias[];
  readonly guideStates?: readonly StoredGuideStepState[];
}

/** Where a page of aliases starts: after this key (null: from the first). */
export type AliasKey = Pick<VisitorAlias, "subscriptionId" | "anonymousId">;

/** Where a page of guide step states starts: after this key (null: from the first). */
export type GuideStepStateKey = Pick<
  StoredGuideStepState,
  "subscriptionId" | "appId" | "visitorId" | "guideId" | "stepId"
>;
