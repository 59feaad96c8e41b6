import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { beaconQuery, createSendQueue, retryDelayMs, type SendQueueDeps } from "./send-queue.js";

interface Request {
  url: string;
  body: string | null;
  answer(ok: boolean | Error): void;
}

/** A queue whose requests and timers the test answers and fires by hand. */
function harness(overrides: Partial<SendQueueDeps> = {}) {
  const requests: Request[] = [];
  const timers: Array<{ callback: () => void; ms: number; cleared: boolean }> = [];
  const queue = createSendQueue({
    endpoint: () => "http://cairn.test/data/ptm.gif/key",
    version: () => "1.0.0",
    extraParams: () => "",
    now: () => 1234,
    transport: (url, body) =>
      new Promise((resolve, reject) => {
        requests.push({ url, body, answer: (ok) => (ok instanceof Error ? reject(ok) : resolve(ok)) });
      }),
    setTimer: (callback, ms) => {
      const timer = { callback, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      (timer as { cleared: boolean }).cleared = true;
    },
    ...overrides,
  });
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  return { queue, requests, timers, tick };
}

describe("send queue", () => {
  it("builds GET queries as v, ct, jzb, extras, rt, and POSTs past 1900 characters with s=<length>", () => {
    assert.equal(beaconQuery("eJx", "1.0.0", 5, "&type=track", 0), "?v=1.0.0&ct=5&jzb=eJx&type=track");
    assert.equal(beaconQuery("a".repeat(1901), "1.0.0", 5, "", 2), "?v=1.0.0&ct=5&s=1901&rt=2");
  });

  it("sends one request at a time, in order", async () => {
    const { queue, requests, tick } = harness();
    queue.add("A");
    queue.add("B");
    assert.equal(requests.length, 1);
    assert.match(requests[0]?.url ?? "", /jzb=A$/);
    requests[0]?.answer(true);
    await tick();
    assert.equal(requests.length, 2);
    assert.match(requests[1]?.url ?? "", /jzb=B$/);
    requests[1]?.answer(true);
    await tick();
    assert.equal(queue.size(), 0);
  });

  it("POSTs {events: jzb} when the jzb is too long for a URL", () => {
    const { queue, requests } = harness();
    const long = "x".repeat(2000);
    queue.add(long);
    assert.equal(requests[0]?.body, JSON.stringify({ events: long }));
    assert.match(requests[0]?.url ?? "", /&s=2000$/);
  });

  it("retries a failed batch with backoff 1, 2, 4 … 64 s and rt=<n>, keeping later batches waiting", async () => {
    const { queue, requests, timers, tick } = harness();
    queue.add("A");
    queue.add("B");
    const failures: Array<boolean | Error> = [
      false,
      new Error("network"),
      false,
      false,
      false,
      false,
      false,
      false,
    ];
    for (const [n, failure] of failures.entries()) {
      requests.at(-1)?.answer(failure);
      await tick();
      assert.equal(timers.at(-1)?.ms, retryDelayMs(n + 1));
      assert.equal(requests.length, n + 1, "nothing else is sent while waiting");
      timers.at(-1)?.callback();
      assert.match(requests.at(-1)?.url ?? "", new RegExp(`jzb=A&rt=${n + 1}$`));
    }
    assert.deepEqual([1, 2, 3, 7, 8].map(retryDelayMs), [1000, 2000, 4000, 64000, 64000]);
    requests.at(-1)?.answer(true);
    await tick();
    assert.match(requests.at(-1)?.url ?? "", /jzb=B$/);
  });

  it("drops a batch after maxFailures and moves on", async () => {
    const { queue, requests, timers, tick } = harness({ maxFailures: 2 });
    queue.add("A");
    queue.add("B");
    requests[0]?.answer(false);
    await tick();
    timers[0]?.callback();
    requests[1]?.answer(false);
    await tick();
    assert.match(requests[2]?.url ?? "", /jzb=B$/);
  });

  it("drains every waiting batch at once on page hide, cancelling the retry wait", async () => {
    const { queue, requests, timers, tick } = harness();
    queue.add("A");
    requests[0]?.answer(false);
    await tick();
    queue.add("B");
    queue.add("C");
    assert.equal(requests.length, 1);
    queue.drain();
    assert.equal(timers[0]?.cleared, true);
    assert.deepEqual(
      requests.slice(1).map((r) => r.url.replace(/.*jzb=/, "")),
      ["A&rt=1", "B", "C"],
    );
  });

  it("settles once empty or waiting for a retry", async () => {
    const { queue, requests, tick } = harness();
    queue.add("A");
    let settled = false;
    void queue.settled().then(() => {
      settled = true;
    });
    await tick();
    assert.equal(settled, false);
    requests[0]?.answer(false);
    await tick();
    assert.equal(settled, true);
  });
});
