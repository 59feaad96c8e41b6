import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inflateSync } from "node:zlib";
import { seededRandom } from "../test-support/seeded-random.js";
import { adler32, zlibDeflate } from "./deflate.js";

function roundTrip(data: Uint8Array, label: string): void {
  const compressed = zlibDeflate(data);
  let inflated: Buffer;
  try {
    inflated = inflateSync(compressed);
  } catch (error) {
    assert.fail(`${label}: Node's zlib rejected the stream (${String(error)})`);
  }
  assert.ok(Buffer.from(data).equals(inflated), `${label}: inflated bytes differ`);
}

function randomBytes(random: () => number, length: number, alphabetSize: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * alphabetSize);
  return bytes;
}

/** The textbook definition, reduced at every step: slow, but obviously right. */
function referenceAdler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return (b * 65536 + a) >>> 0;
}

describe("zlibDeflate", () => {
  it("writes a zlib header whose check bits are valid and an Adler-32 trailer", () => {
    const out = zlibDeflate(new TextEncoder().encode("hello hello hello"));
    assert.equal(out[0], 0x78);
    assert.equal(((out[0] as number) * 256 + (out[1] as number)) % 31, 0);
    const trailer = Buffer.from(out.subarray(out.length - 4)).readUInt32BE(0);
    assert.equal(trailer, adler32(new TextEncoder().encode("hello hello hello")));
  });

  it("round-trips edge cases through Node's inflate", () => {
    roundTrip(new Uint8Array(0), "empty");
    roundTrip(new Uint8Array([0]), "one byte");
    roundTrip(new Uint8Array([1, 2]), "two bytes");
    roundTrip(new Uint8Array(100_000).fill(97), "a long run (maximum-length matches)");
    roundTrip(
      new Uint8Array(70_000).map((_, i) => (i * 7) % 256),
      "a period longer than the match limit",
    );
    roundTrip(
      new Uint8Array(256).map((_, i) => i),
      "every byte value, for every literal code",
    );
  });

  it("round-trips 400 random inputs (bytes of several alphabets, lengths up to 80 KB)", () => {
    for (let seed = 1; seed <= 400; seed++) {
      const random = seededRandom(seed);
      const length = Math.floor(random() ** 3 * 80_000);
      const alphabet = [2, 4, 16, 64, 256][seed % 5] as number;
      roundTrip(randomBytes(random, length, alphabet), `seed ${seed}`);
    }
  });

  it("round-trips inputs that repeat blocks from far back in the 32 KB window", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed * 7919);
      const block = randomBytes(random, 1 + Math.floor(random() * 3000), 256);
      const parts: number[] = [];
      while (parts.length < 120_000) {
        parts.push(...block.subarray(0, Math.floor(random() * block.length)));
        parts.push(...randomBytes(random, Math.floor(random() * 33_000), 256));
      }
      roundTrip(new Uint8Array(parts), `far repeats, seed ${seed}`);
    }
  });

  it("computes Adler-32 as defined, including past zlib's 5552-byte summing limit", () => {
    const random = seededRandom(42);
    for (const length of [0, 1, 5551, 5552, 5553, 200_000]) {
      const data = randomBytes(random, length, 256).fill(255, 0, Math.min(length, 6000));
      assert.equal(adler32(data), referenceAdler32(data), `length ${length}`);
    }
  });
});
