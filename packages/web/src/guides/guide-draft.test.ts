import assert from "node:assert/strict";
import { test } from "node:test";
import { bodyOf, emptyDraft, fieldOfMessage, newBlock } from "./guide-draft.ts";

test("a draft's poll blocks become the guide's polls, and poll errors point back at the block", () => {
  const draft = emptyDraft();
  draft.name = " Tour ";
  const step = draft.steps[0];
  assert.ok(step);
  const poll = newBlock("poll", draft.steps);
  if (poll.type !== "poll") throw new Error("a poll block");
  poll.question = "Useful?";
  step.blocks.push(poll);
  const { body, pollAt } = bodyOf(draft);
  assert.equal(body.name, "Tour");
  assert.deepEqual(body.polls, [{ id: "poll-1", type: "yesNo", question: "Useful?" }]);
  assert.deepEqual(body.steps?.[0]?.content.blocks[1], { type: "poll", pollId: "poll-1" });
  assert.deepEqual(fieldOfMessage("polls[0].question: is empty.", pollAt), {
    field: "steps[0].content.blocks[1].question",
    problem: "is empty.",
  });
  assert.deepEqual(fieldOfMessage("name: is empty; a guide needs a name."), {
    field: "name",
    problem: "is empty; a guide needs a name.",
  });
  assert.equal(fieldOfMessage("No guide x in this subscription."), null);
});
