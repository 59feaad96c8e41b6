import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { base62Alphabet } from "../ids/random-base62.js";
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
