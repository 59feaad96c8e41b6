import assert from "node:assert/strict";
import { it } from "node:test";
import { seededRandom } from "../test-support/seeded-random.js";
import { base64url } from "./base64url.js";

it("base64url matches Node's base64url (URL-safe alphabet, no padding) for every length 0..300", () => {
  const random = seededRandom(7);
  for (let length = 0; length <= 300; length++) {
    const bytes = new Uint8Array(length).map(() => Math.floor(random() * 256));
    assert.equal(base64url(bytes), Buffer.from(bytes).toString("base64url"), `length ${length}`);
  }
  assert.equal(base64url(new Uint8Array([0xfb, 0xff])), "-_8");
});
