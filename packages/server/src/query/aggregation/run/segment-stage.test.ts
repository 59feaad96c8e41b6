import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CairnError } from "../../../platform/errors/cairn-error.js";
import { otherSubscription } from "../../../start/test-support/installed-store.js";
import { sampleEvent } from "../../../start/test-support/sample-events.js";
import { createSegment, segmentVisitorIds } from "../../segments/segment-service.js";
import {
  type AggregationFixture,
  aggregationFixture,
  fixtureEngines,
  fixtureNow,
} from "../test-support/aggregation-fixture.js";
import { runAggregation } from "./run-aggregation.js";

for (const engine of fixtureEngines) {
  describe(`the segment stage over stored segments: ${engine}`, () => {
    let f: AggregationFixture;
    let mine: string;
    let theirs: string;

    const run = (segmentId: string) =>
      runAggregation(
        {
          metadata: f.metadata,
          events: f.events,
          definitions: async () => ({ pages: [], features: [], trackTypes: [] }),
          segmentVisitors: (subscriptionId, id) => segmentVisitorIds(f.metadata.db, subscriptionId, id),
        },
        f.subscriptionId,
        {
          request: {
            pipeline: [
              { source: { events: null, timeSeries: { period: "dayRange", first: "now()", count: 1 } } },
              { segment: { id: segmentId } },
              { group: { group: ["visitorId"], fields: { events: { sum: "numEvents" } } } },
              { sort: ["visitorId"] },
            ],
          },
        },
        undefined,
        fixtureNow,
      );

    before(async () => {
      f = await aggregationFixture(undefined, { engine });
      await otherSubscription(f.metadata);
      await f.load(
        ["alice", "bob", "bob", "carol", "dave"].map((visitorId) =>
          sampleEvent({
            subscriptionId: f.subscriptionId,
            appId: f.appId,
            type: "click",
            visitorId,
            occurredAt: fixtureNow - 60_000,
          }),
        ),
      );
      const actor = { id: "cli" };
      mine = (
        await createSegment(
          f.metadata.db,
          f.subscriptionId,
          { name: "Some", visitors: ["bob", "carol", "nobody"] },
          actor,
          { createdByApi: true },
        )
      ).id;
      theirs = (
        await createSegment(f.metadata.db, "sub_other", { name: "Theirs", visitors: ["alice"] }, actor, {
          createdByApi: true,
        })
      ).id;
    });
    after(() => f.close());

    test("keeps only the rows of the segment's visitors", async () => {
      const { results } = await run(mine);
      assert.deepEqual(results, [
        { visitorId: "bob", events: 2 },
        { visitorId: "carol", events: 1 },
      ]);
    });

    test("an unknown segment, or another subscription's, is an invalid pipeline naming it", async () => {
      for (const id of ["seg_nope", theirs]) {
        await assert.rejects(run(id), (error: CairnError) => {
          assert.ok(error instanceof CairnError);
          assert.equal(error.code, "invalid_pipeline");
          assert.match(
            error.message,
            new RegExp(`pipeline\\[1\\] \\(segment\\).*no segment ${id} in this subscription`),
          );
          return true;
        });
      }
    });
  });
}
