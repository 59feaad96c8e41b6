import type { Kysely } from "kysely";
import { isDoNotProcess } from "../../access/privacy/do-not-process.js";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import type { RevisionListener } from "../../store/metadata/revision-watcher.js";
import type { GuideReset, GuideStates } from "../../store/profiles/guide-step-states.js";
import type { ProfileStore } from "../../store/profiles/profile-store.js";
import { guideResetsOf } from "../guide-resets.js";
import { guidePayloadJson } from "./guide-payload.js";
import { createLiveGuidesCache, type LiveGuide } from "./live-guides.js";

/** One guide.json request, after the app key and its parameters were read. */
export interface GuideRequest {
  readonly subscriptionId: string;
  readonly appId: string;
  readonly visitorId?: string;
  readonly url?: string;
  readonly requestId?: string;
  /** Where the steps' building blocks are served (guide-payload.ts). */
  readonly contentBase: string;
}

/** The payload as JSON text, or do-not-process. */
export type GuideAnswer = { readonly doNotProcess: true } | { readonly payload: string };

/** What guide.json answers each visitor (agent-wire.md §7): built from the live-guide cache and their state. */
export interface GuideDelivery {
  answer(request: GuideRequest): Promise<GuideAnswer>;
  /** A live guide's step as Pendo's building blocks, or null when the app has no such live step. */
  stepContent(appId: string, guideId: string, stepId: string): Promise<StepContent | null>;
  close(): void;
}

export interface StepContent {
  readonly domJson: Record<string, unknown>;
  /** The guide's `lastUpdatedAt`, the version in the step's `domUrl`. */
  readonly version: number;
}

const noStates: GuideStates = { steps: [], lastGuideStepSeen: null };

async function segmentsOf(
  db: Kysely<MetadataSchema>,
  guides: readonly LiveGuide[],
  visitorId: string,
): Promise<Set<string>> {
  const named = [...new Set(guides.flatMap((g) => (g.guide.segmentId === null ? [] : [g.guide.segmentId])))];
  if (named.length === 0) return new Set();
  const rows = await db
    .selectFrom("segment_visitors")
    .select("segment_id")
    .where("visitor_id", "=", visitorId)
    .where("segment_id", "in", named)
    .execute();
  return new Set(rows.map((r) => r.segment_id));
}

async function throttleHoursOf(db: Kysely<MetadataSchema>, subscriptionId: string): Promise<number> {
  const row = await db
    .selectFrom("subscriptions")
    .select("auto_guide_throttle_hours")
    .where("id", "=", subscriptionId)
    .executeTakeFirst();
  return row?.auto_guide_throttle_hours ?? 0;
}

export function createGuideDelivery(deps: {
  metadata: Kysely<MetadataSchema>;
  profiles: ProfileStore;
  pollMs?: number;
  onRevision?: RevisionListener;
}): GuideDelivery {
  const db = deps.metadata;
  const live = createLiveGuidesCache(db, { pollMs: deps.pollMs, onRevision: deps.onRevision });
  return {
    async answer(request) {
      const { subscriptionId, appId, visitorId } = request;
      const common = {
        now: Date.now(),
        contentBase: request.contentBase,
        ...(request.requestId === undefined ? {} : { requestId: request.requestId }),
        ...(request.url === undefined ? {} : { url: request.url }),
      };
      if (visitorId === undefined) {
        return {
          payload: guidePayloadJson({
            ...common,
            guides: [],
            visitorId: "",
            segments: new Set(),
            states: noStates,
            resets: new Map(),
            throttleHours: 0,
          }),
        };
      }
      if (await isDoNotProcess(db, subscriptionId, visitorId)) return { doNotProcess: true };
      const guides = await live.guidesOf(appId);
      const [segments, resets, throttleHours] = await Promise.all([
        segmentsOf(db, guides, visitorId),
        guideResetsOf(db, subscriptionId, visitorId),
        throttleHoursOf(db, subscriptionId),
      ]);
      const resetList: GuideReset[] = [...resets].map(([guideId, at]) => ({
        guideId: guideId === "*" ? null : guideId,
        at,
      }));
      const states = await deps.profiles.guideStatesOf({
        subscriptionId,
        appId,
        visitorId,
        resets: resetList,
      });
      return {
        payload: guidePayloadJson({ ...common, guides, visitorId, segments, states, resets, throttleHours }),
      };
    },
    async stepContent(appId, guideId, stepId) {
      const guide = (await live.guidesOf(appId)).find((g) => g.guide.id === guideId)?.guide;
      const step = guide?.steps.find((s) => s.id === stepId);
      return step ? { domJson: step.domJson, version: step.lastUpdatedAt } : null;
    },
    close: () => live.close(),
  };
}
