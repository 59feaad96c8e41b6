import { hash } from "node:crypto";
import { base62Alphabet, randomBase62 } from "../../platform/ids/random-base62.js";

export type SecretKeyKind = "integration" | "feedback" | "track" | "identity";
export type KeyKind = SecretKeyKind | "app";

/** keys.md: the prefix names the kind without a look-up, and lets secret scanners find leaked keys. */
export const secretKeyPrefixes: Readonly<Record<SecretKeyKind, string>> = {
  integration: "cik_",
  feedback: "cfk_",
  track: "cts_",
  identity: "cis_",
};

const randomLength = 36;
/**
 * An identity secret signs visitor tokens with HMAC-SHA256, and the server keeps only its SHA-256 (as for
 * every key). RFC 2104 hashes a key longer than the 64-byte block first, so with a secret of more than 64
 * characters HMAC(secret, m) equals HMAC(SHA-256(secret), m): the stored hash verifies what the back end
 * signed with the secret itself, with any JWT library. Hence its longer random part: 4 + 60 + 6 = 70.
 */
const identityRandomLength = 60;
const checksumLength = 6;
export const secretKeyLength = 4 + randomLength + checksumLength;
/** The length of an identity secret (`cis_…`), the one kind longer than `secretKeyLength`. */
export const identitySecretLength = 4 + identityRandomLength + checksumLength;

function randomLengthOf(kind: SecretKeyKind): number {
  return kind === "identity" ? identityRandomLength : randomLength;
}
/** Longer input is refused before any hashing (keys.md, verification step 2). */
export const maxPresentedKeyLength = 255;
/** How many leading characters of a secret key are kept for display. */
export const keyStartLength = 8;

const appKeyShape = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * CRC-32 as zlib computes it (IEEE, reflected), over char codes: keys are ASCII, and on every request this
 * beats zlib's crc32, which first copies the string into a buffer.
 */
const crcTable = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32Ascii(text: string, start: number, end: number): number {
  let crc = -1;
  for (let i = start; i < end; i++)
    crc = (crcTable[(crc ^ text.charCodeAt(i)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** Each ASCII code's base62 digit, or -1. */
const base62Digits = Int8Array.from({ length: 128 }, (_, code) =>
  base62Alphabet.indexOf(String.fromCharCode(code)),
);

function checksum(random: string): string {
  let value = crc32Ascii(random, 0, random.length);
  let out = "";
  for (let i = 0; i < checksumLength; i++) {
    out = base62Alphabet[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

export function generateSecretKey(kind: SecretKeyKind): string {
  const random = randomBase62(randomLengthOf(kind));
  return `${secretKeyPrefixes[kind]}${random}${checksum(random)}`;
}

export type RecognisedKey =
  | { readonly shape: "secret"; readonly kind: SecretKeyKind }
  | { readonly shape: "app"; readonly kind: "app" }
  | { readonly shape: "invalid" };

/** The part after the prefix is base62 and ends with the checksum of the random part (no allocation). */
function checksumHolds(key: string): boolean {
  const randomEnd = key.length - checksumLength;
  let crc = -1;
  for (let i = 4; i < randomEnd; i++) {
    const code = key.charCodeAt(i);
    if (code >= 128 || base62Digits[code] === -1) return false;
    crc = (crcTable[(crc ^ code) & 0xff] as number) ^ (crc >>> 8);
  }
  let value = (crc ^ -1) >>> 0;
  for (let i = key.length - 1; i >= randomEnd; i--) {
    const code = key.charCodeAt(i);
    if (code >= 128 || base62Digits[code] !== value % 62) return false;
    value = Math.floor(value / 62);
  }
  return true;
}

const prefixKinds = new Map(
  (Object.entries(secretKeyPrefixes) as Array<[SecretKeyKind, string]>).map(([kind, prefix]) => [
    prefix,
    kind,
  ]),
);
// Answers are shared, not built per call: this runs on every authenticated request.
const invalid: RecognisedKey = Object.freeze({ shape: "invalid" });
const appKey: RecognisedKey = Object.freeze({ shape: "app", kind: "app" });
const secretOf = new Map(
  [...prefixKinds.values()].map((kind) => [kind, Object.freeze({ shape: "secret", kind }) as RecognisedKey]),
);

/**
 * What a presented key claims to be, from its text alone: the prefix gives the kind and the checksum
 * rejects typos and guesses, so nothing here touches a store.
 */
export function recogniseKey(presented: string): RecognisedKey {
  if (presented.length > maxPresentedKeyLength) return invalid;
  const kind = prefixKinds.get(presented.slice(0, 4));
  // No UUID starts with a secret prefix (it has no "_"), so the app-key test is needed only without one.
  if (kind === undefined) return appKeyShape.test(presented) ? appKey : invalid;
  if (presented.length !== 4 + randomLengthOf(kind) + checksumLength || !checksumHolds(presented))
    return invalid;
  return secretOf.get(kind) ?? invalid;
}

/** What the store keeps instead of the key: SHA-256 of the whole key (prefix included), hex. */
export function hashKey(key: string): string {
  // One-shot hashing: about twice as fast as createHash for a short input, and this runs on every request.
  return hash("sha256", key, "hex");
}

export function keyStart(key: string): string {
  return key.slice(0, keyStartLength);
}
