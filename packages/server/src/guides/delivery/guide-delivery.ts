import type { Kysely } from "kysely";
import { isDoNotProcess } from "../../access/privacy/do-not-process.js";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import type { GuideReset, GuideStates } from "../../store/profiles/guide-step-states.js";
import type { ProfileStore } from "../../store/profiles/profile-store.js";
import { guideResetsOf } from "../guide-service.js";
import { type GuidePayload, guidePayload } from "./guide-payload.js";
import { createLiveGuidesCache, type LiveGuide } from "./live-guides.js";

/** One guide.json request, after the app key and its parameters were read. */
export interface GuideRequest {
  readonly subscriptionId: string;
  readonly appId: string;
  readonly visitorId?: string;
  readonly url?: string;
  readonly requestId?: string;
}

export type GuideAnswer = { readonly doNotProcess: true } | { readonly payload: GuidePayload };

/** What guide.json answers each visitor (agent-wire.md §7): built from the live-guide cache and their state. */
export interface GuideDelivery {
  answer(request: GuideRequest): Promise<GuideAnswer>;
  close(): void;
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
}): GuideDelivery {
  const db = deps.metadata;
  const live = createLiveGuidesCache(db, deps.pollMs === undefined ? {} : { pollMs: deps.pollMs });
  return {
    async answer(request) {
      const { subscriptionId, appId, visitorId } = request;
      const common = {
        now: Date.now(),
        ...(request.requestId === undefined ? {} : { requestId: request.requestId }),
        ...(request.url === undefined ? {} : { url: request.url }),
      };
      if (visitorId === undefined) {
        return {
          payload: guidePayload({
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
        payload: guidePayload({ ...common, guides, visitorId, segments, states, resets, throttleHours }),
      };
    },
    close: () => live.close(),
  };
}
