import assert from "node:assert/strict";
import { it } from "node:test";
import { memoryStore } from "./agent-storage.js";
import { sessionIdleMs, tracerIds } from "./tracer-ids.js";

it("keeps tabId per tab, and rotates sessionId after 30 idle minutes or on request", () => {
  const session = memoryStore();
  let now = 0;
  const ids = tracerIds(session, () => now);
  assert.match(ids.tabId(), /^[A-Za-z0-9]{16}$/);
  assert.equal(
    ids.tabId(),
    tracerIds(session, () => now).tabId(),
    "a second agent in the same tab shares it",
  );
  assert.match(ids.frameId, /^[A-Za-z0-9]{16}$/);
  const first = ids.sessionId();
  now += sessionIdleMs - 1;
  assert.equal(ids.sessionId(), first, "activity within 30 minutes keeps the session");
  now += sessionIdleMs - 1;
  assert.equal(ids.sessionId(), first, "each event extends it");
  now += sessionIdleMs;
  const second = ids.sessionId();
  assert.notEqual(second, first);
  ids.newSession();
  assert.notEqual(ids.sessionId(), second);
});
