import assert from "node:assert/strict";
import { test } from "node:test";
import { npsOf, pollCounts, stepStats } from "./guide-stats.ts";

test("step stats: distinct visitors per step and event type; other steps and types left out", () => {
  const stats = stepStats(
    ["s1", "s2"],
    [
      { guideStepId: "s1", type: "guideSeen", visitors: 10 },
      { guideStepId: "s1", type: "guideAdvanced", visitors: 7 },
      { guideStepId: "s2", type: "guideSeen", visitors: 7 },
      { guideStepId: "s2", type: "guideDismissed", visitors: 2 },
      { guideStepId: "s2", type: "guideSnoozed", visitors: 1 },
      { guideStepId: "gone", type: "guideSeen", visitors: 3 },
      { guideStepId: null, type: "guideSeen", visitors: 3 },
    ],
  );
  assert.deepEqual(stats.get("s1"), { seen: 10, advanced: 7, dismissed: 0 });
  assert.deepEqual(stats.get("s2"), { seen: 7, advanced: 0, dismissed: 2 });
  assert.equal(stats.size, 2);
});

test("poll counts: the poll's own answers in order, then the rest, most first", () => {
  const rows = [
    { pollId: "pick", response: "Guides", visitors: 2 },
    { pollId: "pick", response: "Other", visitors: 1 },
    { pollId: "pick", response: "Else", visitors: 4 },
    { pollId: "other", response: "Reports", visitors: 9 },
    { pollId: "pick", response: null, visitors: 5 },
  ];
  assert.deepEqual(pollCounts({ id: "pick", type: "multipleChoice", choices: ["Reports", "Guides"] }, rows), [
    { answer: "Reports", visitors: 0 },
    { answer: "Guides", visitors: 2 },
    { answer: "Else", visitors: 4 },
    { answer: "Other", visitors: 1 },
  ]);
  const nps = pollCounts({ id: "n", type: "nps", choices: [] }, [
    { pollId: "n", response: 10, visitors: 1 },
    { pollId: "n", response: "10", visitors: 1 },
  ]);
  assert.equal(nps.length, 11);
  assert.deepEqual(nps[10], { answer: "10", visitors: 2 });
});

test("NPS: % promoters (9–10) minus % detractors (0–6), with the 0–10 distribution", () => {
  const answers = [
    { answer: "10", visitors: 5 },
    { answer: "9", visitors: 1 },
    { answer: "8", visitors: 2 },
    { answer: "7", visitors: 0 },
    { answer: "6", visitors: 1 },
    { answer: "0", visitors: 1 },
    { answer: "maybe", visitors: 3 },
    { answer: "11", visitors: 3 },
    { answer: "", visitors: 3 },
  ];
  const nps = npsOf(answers);
  assert.deepEqual(nps, {
    score: 40,
    promoters: 6,
    passives: 2,
    detractors: 2,
    total: 10,
    distribution: [1, 0, 0, 0, 0, 0, 1, 0, 2, 1, 5],
  });
  assert.equal(npsOf([]).score, null);
  assert.equal(npsOf([{ answer: "3", visitors: 4 }]).score, -100);
  assert.equal(
    npsOf([
      { answer: "9", visitors: 1 },
      { answer: "7", visitors: 2 },
    ]).score,
    33,
  );
});
