import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { generateSecretKey, hashKey, identitySecretLength, recogniseKey } from "../keys/key-format.js";
import { type IdentityVerifier, verifyIdentityToken } from "./identity-token.js";
import { seconds, signIdentityToken } from "./test-support/sign-identity-token.js";

const now = new Date("2030-01-01T12:00:00Z");
const nowS = seconds(now.getTime());
const secret = generateSecretKey("identity");
/** What the server keeps: only the secret's SHA-256, as for every key. */
const verifiers: IdentityVerifier[] = [{ hmacKey: Buffer.from(hashKey(secret), "hex"), expiresAt: null }];
const check = (token: string, at: Date = now) => verifyIdentityToken(token, verifiers, at);

describe("identity secrets", () => {
  test("are `cis_` + 60 base62 + checksum, longer than HMAC's 64-byte block, and recognised as their kind", () => {
    assert.equal(secret.length, identitySecretLength);
    assert.ok(identitySecretLength > 64, "RFC 2104 then hashes the key, so the stored hash verifies");
    assert.match(secret, /^cis_[0-9A-Za-z]{66}$/);
    assert.deepEqual(recogniseKey(secret), { shape: "secret", kind: "identity" });
    assert.deepEqual(recogniseKey(secret.slice(0, 46)), { shape: "invalid" });
  });
});

describe("verifyIdentityToken", () => {
  test("a token signed with the secret itself verifies against the secret's stored SHA-256", () => {
    const token = signIdentityToken(secret, { sub: "u-1", account: "acme", exp: nowS + 3600 });
    assert.deepEqual(check(token), {
      ok: true,
      identity: { visitorId: "u-1", accountId: "acme", expiresAt: (nowS + 3600) * 1000 },
    });
  });

  test("exp is honoured to ±60 s; nbf and iat may not be ahead by more; 24 h is the longest life", () => {
    const at = (exp: number, extra: Record<string, unknown> = {}) =>
      check(signIdentityToken(secret, { sub: "u", exp, ...extra }));
    assert.equal(at(nowS - 59).ok, true);
    assert.deepEqual(at(nowS - 60), { ok: false, problem: "expired" });
    assert.deepEqual(at(nowS + 600, { nbf: nowS + 61 }), { ok: false, problem: "not_yet_valid" });
    assert.equal(at(nowS + 600, { iat: nowS + 59 }).ok, true);
    assert.equal(at(nowS + 86_400).ok, true);
    assert.deepEqual(at(nowS + 86_400 + 61), { ok: false, problem: "too_long_lived" });
    assert.deepEqual(at(nowS + 600, { iat: nowS - 86_400 }), { ok: false, problem: "too_long_lived" });
    assert.deepEqual(at(Number.NaN), { ok: false, problem: "expired" });
    assert.deepEqual(check(signIdentityToken(secret, { sub: "u", exp: "soon" })), {
      ok: false,
      problem: "expired",
    });
  });

  test("the header must say HS256 (not none, not another algorithm, no crit); the signature must match", () => {
    const payload = { sub: "u", exp: nowS + 60 };
    for (const header of [
      { alg: "none" },
      { alg: "HS512" },
      { alg: "RS256" },
      { alg: "HS256", crit: ["x"] },
      {},
    ]) {
      assert.deepEqual(check(signIdentityToken(secret, payload, header)), {
        ok: false,
        problem: "algorithm",
      });
    }
    const unsigned = signIdentityToken(secret, payload, { alg: "none" }).replace(/\.[^.]*$/, ".");
    assert.equal(check(unsigned).ok, false);
    assert.deepEqual(check(signIdentityToken(generateSecretKey("identity"), payload)), {
      ok: false,
      problem: "signature",
    });
    // RFC 2104: the secret's SHA-256 is the key HMAC really uses, so signing with it is the same signature.
    assert.equal(check(signIdentityToken(Buffer.from(hashKey(secret), "hex"), payload)).ok, true);
    assert.deepEqual(check(signIdentityToken(secret.slice(0, 40), payload)), {
      ok: false,
      problem: "signature",
    });
    assert.deepEqual(check("a.b"), { ok: false, problem: "malformed" });
    assert.deepEqual(check("x".repeat(5000)), { ok: false, problem: "malformed" });
  });

  test("a rolled secret verifies until its grace ends; without secrets nothing verifies", () => {
    const token = signIdentityToken(secret, { sub: "u", exp: nowS + 60 });
    const rolled = [{ ...verifiers[0], expiresAt: "2030-01-01T12:00:01.000Z" } as IdentityVerifier];
    assert.equal(verifyIdentityToken(token, rolled, now).ok, true);
    assert.deepEqual(verifyIdentityToken(token, rolled, new Date("2030-01-01T12:00:01Z")), {
      ok: false,
      problem: "signature",
    });
    assert.deepEqual(verifyIdentityToken(token, [], now), { ok: false, problem: "no_secret" });
  });

  test("Pendo's signed-metadata payload shape (visitor.id, account.id) names the visitor too; no visitor is refused", () => {
    const pendo = signIdentityToken(secret, {
      visitor: { id: "u-2" },
      account: { id: "a-2" },
      exp: nowS + 60,
    });
    assert.deepEqual(check(pendo), {
      ok: true,
      identity: { visitorId: "u-2", accountId: "a-2", expiresAt: (nowS + 60) * 1000 },
    });
    assert.deepEqual(check(signIdentityToken(secret, { exp: nowS + 60 })), {
      ok: false,
      problem: "no_visitor",
    });
  });
});
