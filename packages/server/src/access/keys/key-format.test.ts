import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { crc32 } from "node:zlib";
import { base62Alphabet, randomBase62 } from "../../platform/ids/random-base62.js";
import {
  generateSecretKey,
  hashKey,
  keyStart,
  maxPresentedKeyLength,
  recogniseKey,
  type SecretKeyKind,
  secretKeyPrefixes,
} from "./key-format.js";

const kinds: SecretKeyKind[] = ["integration", "feedback", "track"];

describe("secret key format", () => {
  test("every kind generates `<prefix>` + 36 base62 + 6 base62 checksum, recognised as its kind", () => {
    for (const kind of kinds) {
      const key = generateSecretKey(kind);
      assert.match(key, new RegExp(`^${secretKeyPrefixes[kind]}[0-9A-Za-z]{42}$`));
      assert.equal(key.length, 46);
      assert.deepEqual(recogniseKey(key), { shape: "secret", kind });
    }
  });

  test("a million keys have no duplicate and all pass their checksum", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1_000_000; i++) {
      const key = generateSecretKey(kinds[i % 3] as SecretKeyKind);
      seen.add(key);
      if (i % 1000 === 0) assert.equal(recogniseKey(key).shape, "secret");
    }
    assert.equal(seen.size, 1_000_000);
  });

  test("changing any one character makes the key invalid", () => {
    const key = generateSecretKey("integration");
    for (let position = 4; position < key.length; position++) {
      const original = key[position] as string;
      const replacement = base62Alphabet[(base62Alphabet.indexOf(original) + 1) % 62] as string;
      const typo = key.slice(0, position) + replacement + key.slice(position + 1);
      assert.deepEqual(recogniseKey(typo), { shape: "invalid" }, `position ${position}`);
    }
  });

  test("the public app key is recognised by its UUID v4 shape", () => {
    assert.deepEqual(recogniseKey("1885ef30-1245-48e9-80b8-913db4209665"), { shape: "app", kind: "app" });
  });

  test("anything else is invalid: empty, too long, wrong prefix, non-base62, truncated", () => {
    const key = generateSecretKey("feedback");
    for (const bad of [
      "",
      "x".repeat(maxPresentedKeyLength + 1),
      `xyz_${key.slice(4)}`,
      `${key.slice(0, -1)}!`,
      key.slice(0, -1),
      `${key} `,
      "cik_",
    ]) {
      assert.deepEqual(recogniseKey(bad), { shape: "invalid" }, JSON.stringify(bad.slice(0, 50)));
    }
  });

  test("the stored hash covers the prefix, so relabelling a key changes its hash", () => {
    const key = generateSecretKey("integration");
    const relabelled = `cfk_${key.slice(4)}`;
    assert.deepEqual(recogniseKey(relabelled), { shape: "secret", kind: "feedback" }, "checksum still holds");
    assert.notEqual(hashKey(relabelled), hashKey(key));
    assert.match(hashKey(key), /^[0-9a-f]{64}$/);
    assert.equal(keyStart(key), key.slice(0, 8));
  });
});

describe("checksum compatibility", () => {
  /** The checksum as keys were made before it was computed in JavaScript: zlib's CRC-32 of the random part. */
  function zlibChecksum(random: string): string {
    let value = crc32(random);
    let out = "";
    for (let i = 0; i < 6; i++) {
      out = base62Alphabet[value % 62] + out;
      value = Math.floor(value / 62);
    }
    return out;
  }

  test("keys made with zlib's CRC-32 are recognised, and new keys carry the same checksum", () => {
    for (let i = 0; i < 20_000; i++) {
      const random = randomBase62(36);
      assert.deepEqual(recogniseKey(`cik_${random}${zlibChecksum(random)}`), {
        shape: "secret",
        kind: "integration",
      });
      const key = generateSecretKey("track");
      assert.equal(key.slice(40), zlibChecksum(key.slice(4, 40)), key.slice(0, 8));
    }
  });

  test("non-ASCII and non-base62 characters anywhere after the prefix are refused", () => {
    const key = generateSecretKey("integration");
    for (const character of ["é", "🪨", "-", "_", " ", "\u0000", "\u00ff"]) {
      for (const position of [4, 20, 39, 40, 45]) {
        const bad = (key.slice(0, position) + character + key.slice(position + 1)).slice(0, 46);
        assert.deepEqual(
          recogniseKey(bad),
          { shape: "invalid" },
          `${JSON.stringify(character)} at ${position}`,
        );
      }
    }
  });
});
