import assert from "node:assert/strict";
import { test } from "node:test";
import { compileExcludeRules, type ExcludeCandidate } from "../access/exclude/exclude-rules.js";
import { maxIdLength, normaliseAgentEvent, type ReceivedContext } from "./agent-event.js";

const received: ReceivedContext = {
  subscriptionId: "sub_test",
  appId: "app_test",
  receivedAt: 1_795_416_050_000,
  ip: "203.0.113.7",
  userAgent: null,
  isBot: false,
  batchKey: null,
};

test("the Exclude List sees ids and URLs as they are stored: truncated, never the 900 KB sent", () => {
  const seen: ExcludeCandidate[] = [];
  const rules = compileExcludeRules([{ kind: "account", pattern: "*foo*bar" }]);
  const spy = {
    ...rules,
    isExcluded(candidate: ExcludeCandidate) {
      seen.push(candidate);
      return false;
    },
  };
  const huge = "foo".repeat(300_000);
  const normalised = normaliseAgentEvent(
    { type: "load", visitor_id: huge, account_id: huge, url: `https://a.example/${huge}` },
    { ...received, exclude: spy },
  );
  assert.ok(normalised.ok);
  assert.equal(seen.length, 1);
  const [candidate] = seen;
  assert.equal(candidate?.visitorId, normalised.event.visitorId);
  assert.equal(candidate?.accountId, normalised.event.accountId);
  assert.equal(candidate?.url, normalised.event.url);
  assert.equal(candidate?.accountId?.length, maxIdLength);
});

test("a rule matching only past the stored length does not flag the event", () => {
  const exclude = compileExcludeRules([{ kind: "account", pattern: "*-internal" }]);
  const cut = normaliseAgentEvent(
    { type: "load", visitor_id: "v1", account_id: `${"a".repeat(maxIdLength)}-internal` },
    { ...received, exclude },
  );
  const whole = normaliseAgentEvent(
    { type: "load", visitor_id: "v1", account_id: "acme-internal" },
    { ...received, exclude },
  );
  assert.deepEqual([cut.ok && cut.event.excluded, whole.ok && whole.event.excluded], [false, true]);
});
