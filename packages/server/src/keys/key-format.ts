import { hash } from "node:crypto";
import { crc32 } from "node:zlib";
import { base62Alphabet, randomBase62 } from "../ids/random-base62.js";

export type SecretKeyKind = "integration" | "feedback" | "track";
export type KeyKind = SecretKeyKind | "app";

/** keys.md: the prefix names the kind without a look-up, and lets secret scanners find leaked keys. */
export const secretKeyPrefixes: Readonly<Record<SecretKeyKind, string>> = {
  integration: "cik_",
  feedback: "cfk_",
  track: "cts_",
};

const randomLength = 36;
const checksumLength = 6;
export const secretKeyLength = 4 + randomLength + checksumLength;
/** Longer input is refused before any hashing (keys.md, verification step 2). */
export const maxPresentedKeyLength = 255;
/** How many leading characters of a secret key are kept for display. */
export const keyStartLength = 8;

const appKeyShape = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

function checksum(random: string): string {
  let value = crc32(random);
  let out = "";
  for (let i = 0; i < checksumLength; i++) {
    out = base62Alphabet[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

export function generateSecretKey(kind: SecretKeyKind): string {
  const random = randomBase62(randomLength);
  return `${secretKeyPrefixes[kind]}${random}${checksum(random)}`;
}

export type RecognisedKey =
  | { readonly shape: "secret"; readonly kind: SecretKeyKind }
  | { readonly shape: "app"; readonly kind: "app" }
  | { readonly shape: "invalid" };

const base62Only = /^[0-9A-Za-z]+$/;

/**
 * What a presented key claims to be, from its text alone: the prefix gives the kind and the checksum
 * rejects typos and guesses, so nothing here touches a store.
 */
export function recogniseKey(presented: string): RecognisedKey {
  if (presented.length > maxPresentedKeyLength) return { shape: "invalid" };
  if (appKeyShape.test(presented)) return { shape: "app", kind: "app" };
  const kind = (Object.keys(secretKeyPrefixes) as SecretKeyKind[]).find((k) =>
    presented.startsWith(secretKeyPrefixes[k]),
  );
  if (!kind || presented.length !== secretKeyLength) return { shape: "invalid" };
  const body = presented.slice(4);
  if (!base62Only.test(body)) return { shape: "invalid" };
  const random = body.slice(0, randomLength);
  if (checksum(random) !== body.slice(randomLength)) return { shape: "invalid" };
  return { shape: "secret", kind };
}

/** What the store keeps instead of the key: SHA-256 of the whole key (prefix included), hex. */
export function hashKey(key: string): string {
  // One-shot hashing: about twice as fast as createHash for a short input, and this runs on every request.
  return hash("sha256", key, "hex");
}

export function keyStart(key: string): string {
  return key.slice(0, keyStartLength);
}
