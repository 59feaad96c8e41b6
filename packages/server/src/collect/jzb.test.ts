import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { deflateSync } from "node:zlib";
import fc from "fast-check";
import { countJzbEvents, decodeJzb, encodeJzb, JzbError } from "./jzb.js";

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

  describe("countJzbEvents (the collector counts without parsing)", () => {
    const bytes = (text: string) => Buffer.from(text, "utf8");

    test("counts an array's items exactly as JSON.parse sees them, compact or indented; an object is one event", () => {
      fc.assert(
        fc.property(fc.array(fc.jsonValue(), { maxLength: 30 }), fc.boolean(), (items, indent) => {
          const text = JSON.stringify(items, null, indent ? 2 : undefined);
          assert.equal(countJzbEvents(bytes(text)), (JSON.parse(text) as unknown[]).length);
        }),
        { numRuns: 1000 },
      );
      fc.assert(
        fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
          assert.equal(countJzbEvents(bytes(` ${JSON.stringify(object)}\n`)), 1);
        }),
      );
      assert.equal(countJzbEvents(bytes('["a,b", "\\"", {"x": [1, 2]}, "]"]')), 4);
      assert.equal(countJzbEvents(bytes(" [ ] ")), 0);
    });

    test("refuses what is not JSON in shape, and anything but an array or object", () => {
      for (const text of ["", "5", '"event"', "null", "{nope", "[1, 2", "[1}", '["open]', "[1] x", "]"]) {
        assert.throws(
          () => countJzbEvents(bytes(text)),
          (e: unknown) => e instanceof JzbError && e.reason === "not_json",
          JSON.stringify(text),
        );
      }
    });

    test("on random bytes it answers a count or a JzbError, and agrees with JSON.parse whenever that succeeds", () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string(),
            fc.uint8Array().map((b) => Buffer.from(b).toString("latin1")),
          ),
          (text) => {
            let parsed: unknown;
            let valid = true;
            try {
              parsed = JSON.parse(text);
            } catch {
              valid = false;
            }
            try {
              const count = countJzbEvents(bytes(text));
              if (valid) assert.equal(count, Array.isArray(parsed) ? parsed.length : 1);
            } catch (error) {
              assert.ok(error instanceof JzbError, String(error));
              if (valid)
                assert.ok(typeof parsed !== "object" || parsed === null, "valid arrays and objects count");
            }
          },
        ),
        { numRuns: 3000 },
      );
    });
  });
});
