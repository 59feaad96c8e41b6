import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { deflateSync } from "node:zlib";
import fc from "fast-check";
import { decodeJzb, encodeJzb, JzbError } from "./jzb.js";

describe("jzb", () => {
  test("decodes agent-wire.md's example and the agent's empty-array constant", () => {
    assert.deepEqual(
      decodeJzb(
        "eJwlykEKgCAQRuGrxL9203auEa0iRFJiqHTQQQjx7iEtH9_bGvSVAIJmd1wwqFxYU7bsQagzzC821BDVRveMeeEzBj-tAgPJSQqoQW4XQaPR-_4Ba0oecg",
      ),
      [{ type: "track", visitor_id: "v1", track_event_name: "Signed Up", props: { plan: "pro" } }],
    );
    assert.deepEqual(decodeJzb("eJwFwIEIAAAAwDDQd3-N1QABFQC5"), []);
  });

  test("any JSON value survives encode then decode", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assert.deepEqual(decodeJzb(encodeJzb(value)), JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  test("random input fails only with a JzbError, never anything else", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.base64String(),
          fc.uint8Array().map((b) => Buffer.from(b).toString("base64url")),
        ),
        (input) => {
          try {
            decodeJzb(input);
          } catch (error) {
            assert.ok(error instanceof JzbError, String(error));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  test("a zlib bomb stops at the inflate limit; an over-long payload is refused before inflating", () => {
    const bomb = deflateSync(Buffer.alloc(50 * 1024 * 1024, 0x20)).toString("base64url");
    assert.ok(bomb.length < 100_000, "50 MB of spaces compress to a small payload");
    assert.throws(
      () => decodeJzb(bomb),
      (e: unknown) => e instanceof JzbError && e.reason === "too_large_inflated",
    );
    assert.throws(
      () => decodeJzb("A".repeat(200_000)),
      (e: unknown) => e instanceof JzbError && e.reason === "too_long",
    );
    assert.throws(
      () => decodeJzb("not base64!"),
      (e: unknown) => e instanceof JzbError && e.reason === "not_base64url",
    );
    assert.throws(
      () => decodeJzb(deflateSync("{nope").toString("base64url")),
      (e: unknown) => e instanceof JzbError && e.reason === "not_json",
    );
  });
});
