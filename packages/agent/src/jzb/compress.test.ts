import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inflateSync } from "node:zlib";
import { seededRandom } from "../test-support/seeded-random.js";
import { compress } from "./compress.js";

/** The collector's decoding recipe (agent-wire.md §2.1). */
const decodeJzb = (jzb: string): unknown =>
  JSON.parse(inflateSync(Buffer.from(jzb, "base64url")).toString("utf8"));

function clickEvent(i: number): object {
  return {
    type: i % 2 ? "click" : "focus",
    browser_time: 1795416042450 + i * 997,
    visitor_id: "v1",
    account_id: "acme",
    url: "http://127.0.0.1:44601/settings/billing?tab=invoices",
    props: {
      target: {
        tag: "BUTTON",
        id: `save-${i}`,
        cls: "btn btn-primary",
        title: "Save changes",
        attrs: { name: "save", type: "submit" },
        myIndex: 1,
        childIndex: 0,
        parentElem: {
          tag: "DIV",
          id: "toolbar",
          cls: "toolbar main",
          title: null,
          attrs: {},
          myIndex: 3,
          childIndex: 1,
          parentElem: { tag: "BODY", id: "", cls: "", title: null, attrs: {}, myIndex: 2, childIndex: 1 },
        },
        flags: ["left"],
      },
    },
    parentTabId: null,
    tabId: "9nuooDYUDjDns1zv",
    frameId: "3r0MBOwHGsRwCWQg",
    sessionId: "fTVwj86XbPNX3LEa",
    sequence: 5 + i,
    bytes: 640,
  };
}

function randomText(random: () => number, length: number): string {
  const pools = ["abc xyz", "é€ñ", "😀👍🏽", '\u2028\u0000"\\</script>', "漢字かな"];
  let text = "";
  while (text.length < length) {
    const pool = pools[Math.floor(random() * pools.length)] as string;
    text += Array.from(pool)[Math.floor(random() * Array.from(pool).length)];
  }
  return text;
}

describe("compress (jzb)", () => {
  it("encodes the agent-wire.md example so the collector's recipe gets it back", () => {
    const batch = [
      { type: "track", visitor_id: "v1", track_event_name: "Signed Up", props: { plan: "pro" } },
    ];
    assert.deepEqual(decodeJzb(compress(batch)), batch);
    assert.deepEqual(decodeJzb(compress([])), []);
  });

  it("encodes a string as is, like Pendo's compress", () => {
    assert.equal(inflateSync(Buffer.from(compress('{"a":1}'), "base64url")).toString(), '{"a":1}');
  });

  it("uses only base64url characters", () => {
    assert.match(compress({ text: randomText(seededRandom(1), 500) }), /^[A-Za-z0-9_-]+$/);
  });

  it("round-trips 300 random payloads with non-ASCII text (UTF-8, surrogate pairs)", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = seededRandom(seed);
      const payload = Array.from({ length: 1 + Math.floor(random() * 10) }, (_, i) => ({
        ...clickEvent(i),
        props: {
          label: randomText(random, Math.floor(random() * 400)),
          n: random() * 1e6,
          ok: random() > 0.5,
        },
      }));
      assert.deepEqual(decodeJzb(compress(payload)), payload, `seed ${seed}`);
    }
  });

  it("keeps eight click/focus events (the captured batch) under the 1900-character GET limit", () => {
    const jzb = compress(Array.from({ length: 8 }, (_, i) => clickEvent(i)));
    assert.ok(jzb.length <= 1900, `${jzb.length} characters`);
    console.log(`8 click events: ${jzb.length} jzb characters`);
  });
});
