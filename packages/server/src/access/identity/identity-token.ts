import { createHmac, timingSafeEqual } from "node:crypto";

/** A token's `exp` may be this far in the past, and its `nbf`/`iat` this far ahead, by the server's clock. */
export const clockSkewMs = 60_000;
/** A token may not live longer than this: from `iat` to `exp`, and from now to `exp`. */
export const maxTokenLifetimeMs = 24 * 60 * 60_000;
/** Longer input is refused before any decoding. */
export const maxTokenLength = 4096;

/** What verifies a token: the SHA-256 of one of the app's identity secrets (see key-format.ts), still valid. */
export interface IdentityVerifier {
  /** SHA-256 of the secret, raw: the key HMAC itself uses for a secret longer than 64 bytes (RFC 2104). */
  readonly hmacKey: Buffer;
  /** ISO time after which a rolled secret stops verifying; null while it has not been rolled or given one. */
  readonly expiresAt: string | null;
}

/** The visitor (and account) a back end vouched for. */
export interface SignedIdentity {
  readonly visitorId: string;
  readonly accountId: string | null;
  /** Epoch ms. */
  readonly expiresAt: number;
}

export type TokenProblem =
  | "malformed"
  | "algorithm"
  | "signature"
  | "expired"
  | "not_yet_valid"
  | "too_long_lived"
  | "no_visitor"
  | "no_secret";

export type TokenCheck =
  | { readonly ok: true; readonly identity: SignedIdentity }
  | { readonly ok: false; readonly problem: TokenProblem };

const base64urlShape = /^[A-Za-z0-9_-]*$/;

function decodeJson(part: string): unknown {
  if (!base64urlShape.test(part)) return undefined;
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 && value.length <= 512 ? value : null;
}

/** `sub`, or Pendo's signed-metadata shape `visitor.id`; `account` as an id or Pendo's `account.id`. */
function claimedIds(payload: Record<string, unknown>): {
  visitorId: string | null;
  accountId: string | null;
} {
  const visitor = payload.visitor;
  const account = payload.account;
  return {
    visitorId: nonEmpty(payload.sub) ?? (isRecord(visitor) ? nonEmpty(visitor.id) : null),
    accountId: nonEmpty(account) ?? (isRecord(account) ? nonEmpty(account.id) : null),
  };
}

function signedBy(
  verifiers: readonly IdentityVerifier[],
  signingInput: string,
  signature: Buffer,
  nowIso: string,
) {
  return verifiers.some((verifier) => {
    if (verifier.expiresAt !== null && verifier.expiresAt <= nowIso) return false;
    const expected = createHmac("sha256", verifier.hmacKey).update(signingInput).digest();
    return timingSafeEqual(expected, signature);
  });
}

/**
 * Checks a JWT (compact form) its back end signed with HS256 and one of the app's identity secrets:
 * `{"alg":"HS256"}` exactly (no `none`, no other algorithm, no critical extensions), a valid signature, a
 * numeric `exp` no more than 24 h ahead and not past (±60 s), `nbf`/`iat` not ahead, and a visitor id.
 * Never throws; the problem is a value.
 */
export function verifyIdentityToken(
  token: string,
  verifiers: readonly IdentityVerifier[],
  now: Date = new Date(),
): TokenCheck {
  const fail = (problem: TokenProblem): TokenCheck => ({ ok: false, problem });
  if (token.length > maxTokenLength) return fail("malformed");
  const parts = token.split(".");
  if (parts.length !== 3) return fail("malformed");
  const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
  const header = decodeJson(headerPart);
  if (!isRecord(header)) return fail("malformed");
  if (header.alg !== "HS256" || header.crit !== undefined) return fail("algorithm");
  if (header.typ !== undefined && header.typ !== "JWT") return fail("algorithm");
  if (!base64urlShape.test(signaturePart)) return fail("signature");
  const signature = Buffer.from(signaturePart, "base64url");
  if (signature.length !== 32) return fail("signature");
  if (verifiers.length === 0) return fail("no_secret");
  if (!signedBy(verifiers, `${headerPart}.${payloadPart}`, signature, now.toISOString()))
    return fail("signature");
  // Only a signed payload is read: what it says is now the back end's word.
  const payload = decodeJson(payloadPart);
  if (!isRecord(payload)) return fail("malformed");
  const nowMs = now.getTime();
  const { exp, nbf, iat } = payload;
  if (typeof exp !== "number" || !Number.isFinite(exp)) return fail("expired");
  const expiresAt = exp * 1000;
  if (expiresAt + clockSkewMs <= nowMs) return fail("expired");
  for (const start of [nbf, iat]) {
    if (start === undefined) continue;
    if (typeof start !== "number" || !Number.isFinite(start)) return fail("malformed");
    if (start * 1000 - clockSkewMs > nowMs) return fail("not_yet_valid");
    if (expiresAt - start * 1000 > maxTokenLifetimeMs) return fail("too_long_lived");
  }
  if (expiresAt - nowMs > maxTokenLifetimeMs + clockSkewMs) return fail("too_long_lived");
  const { visitorId, accountId } = claimedIds(payload);
  if (visitorId === null) return fail("no_visitor");
  return { ok: true, identity: { visitorId, accountId, expiresAt } };
}
