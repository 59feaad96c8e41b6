import type { Definitions } from "../aggregation/compile/definitions.js";
import {
  type AggregationDeps,
  defaultAggregationLimits,
  runAggregation,
} from "../aggregation/run/run-aggregation.js";
import { compiledSelectors, featurePlace } from "../tagging/features/feature-service.js";
import { compiledRules, includeRules } from "../tagging/pages/page-service.js";
import { appForWrite } from "../tagging/shared/app-of.js";

/** How far back a preview counts. */
export const previewDays = 30;
const hour = 3_600_000;
/** The unsaved page's or feature's id in the definitions the preview runs with (no stored id looks like it). */
const previewId = "preview";

export interface TaggingPreview {
  /** Page loads (clicks) the rules match. */
  readonly events: number;
  /** Distinct visitors of those events. */
  readonly visitors: number;
  /** The window counted, [from, to]: from the start of the hour `previewDays` ago (the rollups are hourly) to now. */
  readonly from: string;
  readonly to: string;
}

export interface PagePreviewInput {
  readonly appId?: string;
  readonly rules: readonly string[];
  readonly excludeRules?: readonly string[];
}

export interface FeaturePreviewInput {
  readonly appId?: string;
  readonly selectors: readonly string[];
  readonly pageId?: string;
}

/**
 * Runs `pageEvents` (`featureEvents`) of the unsaved page (feature), added to the subscription's definitions,
 * over the last `previewDays` days, summed in one group: the aggregation every report uses, on the hourly
 * rollups, matching the rules once per distinct URL (element path), the Exclude List applied.
 */
async function countMatches(
  deps: AggregationDeps,
  subscriptionId: string,
  subject: Pick<Definitions, "pages"> | Pick<Definitions, "features">,
  appId: string,
  now: number,
): Promise<TaggingPreview> {
  const source = "pages" in subject ? "pageEvents" : "featureEvents";
  const stored = await deps.definitions(subscriptionId, new Set([source]));
  const definitions: Definitions =
    "pages" in subject
      ? { ...stored, pages: [...stored.pages, ...subject.pages] }
      : { ...stored, features: [...stored.features, ...subject.features] };
  const from = Math.floor((now - previewDays * 24 * hour) / hour) * hour;
  const hours = Math.floor(now / hour) - from / hour + 1;
  const { results } = await runAggregation(
    { ...deps, definitions: async () => definitions },
    subscriptionId,
    {
      response: { mimeType: "application/json" },
      request: {
        pipeline: [
          {
            source: {
              [source]: { [source === "pageEvents" ? "pageId" : "featureId"]: previewId, appId },
              timeSeries: { period: "hourRange", first: from, count: hours },
            },
          },
          {
            group: { group: [], fields: { events: { sum: "numEvents" }, visitors: { count: "visitorId" } } },
          },
        ],
      },
    },
    defaultAggregationLimits,
    now,
  );
  const row = results[0] ?? {};
  return {
    events: Number(row.events ?? 0),
    visitors: Number(row.visitors ?? 0),
    from: new Date(from).toISOString(),
    to: new Date(now).toISOString(),
  };
}

/**
 * How many stored page loads, and visitors, page rules match over the last 30 days, before the page is saved.
 * The rules and the app are checked as creating the page checks them (the same 400s).
 */
export async function previewPage(
  deps: AggregationDeps,
  subscriptionId: string,
  input: PagePreviewInput,
  now: number = Date.now(),
): Promise<TaggingPreview> {
  const include = includeRules(input.rules);
  const exclude = compiledRules("excludeRules", input.excludeRules ?? []);
  const appId = await appForWrite(deps.metadata.db, subscriptionId, input.appId);
  const page = {
    id: previewId,
    appId,
    name: "(preview)",
    include: include.map((r) => [...r.regexes]),
    exclude: exclude.map((r) => [...r.regexes]),
  };
  return countMatches(deps, subscriptionId, { pages: [page] }, appId, now);
}

/**
 * How many stored clicks, and visitors, selectors match over the last 30 days (on the page given, or anywhere in
 * the app), before the feature is saved. Checked as creating the feature checks them (the same 400s).
 */
export async function previewFeature(
  deps: AggregationDeps,
  subscriptionId: string,
  input: FeaturePreviewInput,
  now: number = Date.now(),
): Promise<TaggingPreview> {
  const { compiled } = compiledSelectors(input.selectors);
  const { appId, pageId } = await featurePlace(deps.metadata.db, subscriptionId, input);
  const feature = {
    id: previewId,
    appId,
    name: "(preview)",
    pageId,
    appWide: pageId === null,
    selectors: compiled,
  };
  return countMatches(deps, subscriptionId, { features: [feature] }, appId, now);
}
