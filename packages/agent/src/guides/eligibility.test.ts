import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Guide, GuidePayload, GuideStep } from "../guide-loader/guide-contract.js";
import {
  autoCandidates,
  isFinished,
  isThrottled,
  type LocalGuideState,
  launches,
  resumePoint,
  resumeWindowMs,
  stepMatchesUrl,
} from "./eligibility.js";

const now = 1_800_000_000_000;
const fresh: LocalGuideState = { finished: new Set(), lastAutoEndAt: 0 };

function step(id: string, extra: Partial<GuideStep> = {}): GuideStep {
  return { id, guideId: "g", type: "lightbox", ...extra };
}

function guide(id: string, extra: Partial<Guide> = {}): Guide {
  return { id, name: id, launchMethod: "auto", steps: [step(`${id}-1`), step(`${id}-2`)], ...extra };
}

function payload(guides: Guide[], extra: Partial<GuidePayload> = {}): GuidePayload {
  return {
    guides,
    lastGuideStepSeen: { isMultiStep: false, state: "" } as GuidePayload["lastGuideStepSeen"],
    ...extra,
  };
}

const ids = (guides: Guide[]) => guides.map((g) => g.id);

describe("guide eligibility", () => {
  it("reads launchMethod as a substring, as Pendo does", () => {
    assert.equal(launches(guide("a", { launchMethod: "auto-badge" }), "badge"), true);
    assert.equal(launches(guide("a", { launchMethod: "api" }), "auto"), false);
  });

  it("tests regexUrlRule against the URL; none matches every page, a broken one none", () => {
    assert.equal(stepMatchesUrl(step("s"), "http://x/any"), true);
    assert.equal(stepMatchesUrl(step("s", { regexUrlRule: "^http://x/app(/|$)" }), "http://x/app/1"), true);
    assert.equal(stepMatchesUrl(step("s", { regexUrlRule: "^http://x/app(/|$)" }), "http://x/other"), false);
    assert.equal(stepMatchesUrl(step("s", { regexUrlRule: "(" }), "http://x/"), false);
  });

  it("counts a guide as finished once a step is advanced, dismissed or snoozed until later", () => {
    const withState = (extra: Partial<GuideStep>) => guide("a", { steps: [step("s1", extra)] });
    assert.equal(isFinished(withState({ seenState: "active" }), now, fresh), false);
    assert.equal(isFinished(withState({ seenState: "advanced" }), now, fresh), true);
    assert.equal(isFinished(withState({ seenState: "dismissed" }), now, fresh), true);
    assert.equal(isFinished(withState({ seenState: "snoozed", snoozeEndTime: now + 1 }), now, fresh), true);
    assert.equal(isFinished(withState({ seenState: "snoozed", snoozeEndTime: now - 1 }), now, fresh), false);
    assert.equal(isFinished(guide("a"), now, { finished: new Set(["a"]), lastAutoEndAt: 0 }), true);
  });

  it("orders automatic guides by autoOrdering, then priority, leaving out the rest", () => {
    const guides = [
      guide("low", { attributes: { priority: 1 } }),
      guide("high", { attributes: { priority: 9 } }),
      guide("ordered"),
      guide("api", { launchMethod: "api" }),
      guide("done", { steps: [step("d", { seenState: "dismissed" })] }),
      guide("elsewhere", { steps: [step("e", { regexUrlRule: "/other" })] }),
      guide("expired", { expiresAfter: now - 1 }),
      guide("later", { showsAfter: now + 1 }),
    ];
    assert.deepEqual(
      ids(autoCandidates(payload(guides, { autoOrdering: ["ordered"] }), "http://x/", now, fresh)),
      ["ordered", "high", "low"],
    );
  });

  it("throttles automatic guides after one ended within the interval, unless a guide overrides it", () => {
    const throttling = { enabled: true, interval: 2, unit: "Hour" };
    const guides = [guide("a"), guide("b", { attributes: { overrideAutoThrottling: true } })];
    const recent = payload(guides, { throttling, latestDismissedAutoAt: now - 3600_000 });
    assert.equal(isThrottled(recent, now, fresh), true);
    assert.deepEqual(ids(autoCandidates(recent, "http://x/", now, fresh)), ["b"]);
    const old = payload(guides, { throttling, finalAdvancedAutoAt: now - 3 * 3600_000 });
    assert.equal(isThrottled(old, now, fresh), false);
    assert.equal(
      isThrottled(payload(guides, { throttling }), now, { finished: new Set(), lastAutoEndAt: now - 60_000 }),
      true,
    );
    assert.equal(isThrottled(payload(guides, { throttling: { enabled: false } }), now, fresh), false);
  });

  it("continues a walkthrough from lastGuideStepSeen: the advance's destination, or the seen step", () => {
    const walk = guide("w", { steps: [step("w1", { seenState: "advanced" }), step("w2"), step("w3")] });
    const advanced = {
      guideId: "w",
      guideStepId: "w1",
      time: now - 1000,
      state: "advanced",
      destinationStepId: "w3",
    };
    assert.deepEqual(resumePoint(payload([walk], { lastGuideStepSeen: advanced }), "http://x/", now, fresh), {
      guide: walk,
      stepIndex: 2,
    });
    const noDestination = { ...advanced, destinationStepId: undefined };
    assert.equal(
      resumePoint(payload([walk], { lastGuideStepSeen: noDestination }), "http://x/", now, fresh)?.stepIndex,
      1,
    );
    const seen = { guideId: "w", guideStepId: "w2", time: now - 1000, state: "active" };
    assert.equal(
      resumePoint(payload([walk], { lastGuideStepSeen: seen }), "http://x/", now, fresh)?.stepIndex,
      1,
    );
  });

  it("does not continue a dismissed, stale, local-finished or doNotResume walkthrough", () => {
    const walk = guide("w");
    const last = { guideId: "w", guideStepId: "w-1", time: now - 1000, state: "advanced" };
    const at = (p: GuidePayload, local = fresh) => resumePoint(p, "http://x/", now, local);
    assert.equal(at(payload([walk], { lastGuideStepSeen: { ...last, state: "dismissed" } })), null);
    assert.equal(
      at(payload([walk], { lastGuideStepSeen: { ...last, time: now - resumeWindowMs - 1 } })),
      null,
    );
    assert.equal(
      at(payload([walk], { lastGuideStepSeen: last }), { finished: new Set(["w"]), lastAutoEndAt: 0 }),
      null,
    );
    assert.equal(
      at(payload([guide("w", { attributes: { doNotResume: true } })], { lastGuideStepSeen: last })),
      null,
    );
    assert.equal(
      at(payload([walk], { lastGuideStepSeen: { ...last, guideStepId: "w-2" } })),
      null,
      "past the last step",
    );
    assert.equal(
      at(
        payload([walk], {
          lastGuideStepSeen: { isMultiStep: false, state: "" } as GuidePayload["lastGuideStepSeen"],
        }),
      ),
      null,
    );
  });
});
