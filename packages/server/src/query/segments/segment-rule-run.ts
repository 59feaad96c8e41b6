import { CairnError } from "../../platform/errors/cairn-error.js";
import {
  type AggregationDeps,
  defaultAggregationLimits,
  runAggregation,
} from "../aggregation/run/run-aggregation.js";
import { segmentLimits } from "./segment-limits.js";
import { ruleFilter, type SegmentRule } from "./segment-rule.js";

/** What a rule matches now: how many visitors, and the first few ids. */
export interface RulePreview {
  readonly count: number;
  readonly sample: string[];
}

/** Runs checked rules as aggregations over the `visitors` source (the one place rules meet the event engine). */
export interface RuleRunner {
  /** Every matching visitor id, in id order; refuses a rule that matches more than a segment holds. */
  members(subscriptionId: string, rule: SegmentRule): Promise<string[]>;
  preview(subscriptionId: string, rule: SegmentRule): Promise<RulePreview>;
}

export const previewSampleSize = 10;

function tooMany(count: number | string): CairnError {
  return new CairnError("bad_request", {
    message: `The rule matches ${typeof count === "number" ? count.toLocaleString("en") : count} visitors; a segment holds at most ${segmentLimits.visitorsPerRequest.toLocaleString("en")}. Add a condition to narrow it.`,
  });
}

export function ruleRunner(deps: AggregationDeps): RuleRunner {
  const matching = (rule: SegmentRule) => [{ source: { visitors: null } }, { filter: ruleFilter(rule) }];
  const run = (subscriptionId: string, pipeline: unknown[], maxRows = defaultAggregationLimits.maxRows) =>
    runAggregation(
      deps,
      subscriptionId,
      { response: { mimeType: "application/json" }, request: { pipeline } },
      { ...defaultAggregationLimits, maxRows },
    );
  return {
    async members(subscriptionId, rule) {
      const max = segmentLimits.visitorsPerRequest;
      const answer = await run(
        subscriptionId,
        [
          ...matching(rule),
          { select: { visitorId: "visitorId" } },
          { sort: ["visitorId"] },
          { limit: max + 1 },
        ],
        max + 1,
      );
      if (answer.results.length > max) throw tooMany(`more than ${max.toLocaleString("en")}`);
      return answer.results.map((row) => String(row.visitorId));
    },
    async preview(subscriptionId, rule) {
      const counted = await run(subscriptionId, [...matching(rule), { count: null }]);
      const sample = await run(subscriptionId, [
        ...matching(rule),
        { select: { visitorId: "visitorId" } },
        { sort: ["visitorId"] },
        { limit: previewSampleSize },
      ]);
      return {
        count: Number(counted.results[0]?.count ?? 0),
        sample: sample.results.map((row) => String(row.visitorId)),
      };
    },
  };
}
