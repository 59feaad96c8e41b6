import type { Kysely } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { addressBucket } from "../../platform/http/address-bucket.js";
import type { SharedCounts } from "../../platform/limits/shared-counts.js";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { recordAudit } from "../audit/audit-log.js";
import { createFailureLimiter } from "../failure-limiter.js";
import { type CachedKey, createKeyCache, type KeyCacheOptions, type VerifiedKey } from "./key-cache.js";
import { hashKey, type RecognisedKey, recogniseKey } from "./key-format.js";
import { revokeKey } from "./key-service.js";

export type { VerifiedKey };

import {
  familyKind,
  type KeyFamily,
  missingKeyMessage,
  whereToGet,
  wrongKindMessage,
} from "./key-families.js";
import { createUsageRecorder } from "./usage-recorder.js";

export interface VerifyRequest {
  readonly presented: string | undefined;
  readonly family: KeyFamily;
  /** The request changes something: a read-only integration key is refused (the other kinds exist to write). */
  readonly write: boolean;
  readonly ip: string;
  /** Set by browsers on cross-origin and non-GET requests; a secret key never comes with one. */
  readonly origin: string | undefined;
}

export interface KeyVerifierOptions extends KeyCacheOptions {
  readonly maxFailuresPerWindow?: number;
  readonly failureWindowMs?: number;
  readonly usageFlushMs?: number;
  readonly now?: () => Date;
  /** Shares the failed attempts per address with the other servers. */
  readonly shared?: SharedCounts;
}

export interface KeyVerifier {
  /** Resolves with the key, or rejects with the CairnError keys.md's misuse table gives. */
  verify(request: VerifyRequest): Promise<VerifiedKey>;
  /**
   * `verify` without a promise in the common case: a valid, cached key used as allowed is returned as is.
   * Anything else returns `verify`'s promise, reusing the work already done (the key is hashed once).
   */
  check(request: VerifyRequest): VerifiedKey | Promise<VerifiedKey>;
  /**
   * A secret key seen where only public keys belong (a collector URL): flag it as exposed, audit it,
   * revoke it if the subscription says so. Unknown or malformed strings are ignored.
   */
  flagExposedKey(
    presented: string,
    where: { ip: string; origin: string | undefined; place: string },
  ): Promise<void>;
  /** Store reads made for look-ups so far. */
  readonly storeReads: () => number;
  flushUsage(): Promise<void>;
  close(): Promise<void>;
}

/** Verification in keys.md's order: nothing before the hash look-up touches a store. */
export function createKeyVerifier(db: Kysely<MetadataSchema>, options: KeyVerifierOptions = {}): KeyVerifier {
  const now = options.now ?? (() => new Date());
  // The hot path needs only milliseconds: no Date per request unless a test sets the clock.
  const nowMs = options.now ? () => now().getTime() : Date.now;
  const cache = createKeyCache(db, options);
  const usage = createUsageRecorder(db, { flushMs: options.usageFlushMs });
  const limiter = createFailureLimiter({
    maxFailures: options.maxFailuresPerWindow ?? 100,
    windowMs: options.failureWindowMs ?? 60_000,
    shared: options.shared && { counts: options.shared, stream: "key-failures" },
  });

  function rateLimited(retryAfterSeconds: number): CairnError {
    return new CairnError("rate_limited", {
      message: "Too many failed key attempts from this address.",
      headers: { "retry-after": String(retryAfterSeconds) },
    });
  }

  function refuseIfLimited(ip: string, nowMs: number): void {
    const retryAfter = limiter.retryAfterSeconds(addressBucket(ip), nowMs);
    if (retryAfter > 0) throw rateLimited(retryAfter);
  }

  function fail(ip: string, nowMs: number, error: CairnError): never {
    limiter.recordFailure(addressBucket(ip), nowMs);
    throw error;
  }

  /** Only integration keys have a read-only scope; the other kinds exist to write. */
  function lacksWriteScope(key: CachedKey, request: VerifyRequest): boolean {
    return request.write && request.family === "v1" && key.scope !== "write";
  }

  /** The one way a key is accepted, by either path: its use is noted (written later, in batches). */
  function accept(key: CachedKey, request: VerifyRequest, atMs: number): VerifiedKey {
    usage.note(key.verified, atMs, request.ip);
    return key.verified;
  }

  async function auditRefusal(key: CachedKey, ip: string, reason: string, at: Date): Promise<void> {
    await recordAudit(db, {
      subscriptionId: key.subscription_id,
      actor: key.id,
      action: "key.failed_attempt",
      target: key.id,
      ip,
      detail: { reason },
      at,
    });
  }

  async function flagExposed(key: CachedKey, request: VerifyRequest, at: Date): Promise<void> {
    if (key.exposed_at === null) {
      await db
        .updateTable("api_keys")
        .set({ exposed_at: at.toISOString() })
        .where("id", "=", key.id)
        .where("exposed_at", "is", null)
        .execute();
      await recordAudit(db, {
        subscriptionId: key.subscription_id,
        actor: key.id,
        action: "key.exposed",
        target: key.id,
        ip: request.ip,
        detail: { origin: request.origin ?? null, family: request.family },
        at,
      });
    }
    if (key.exposed_key_policy === "revoke" && key.revoked_at === null) {
      await revokeKey(
        db,
        { subscriptionId: key.subscription_id, id: key.id, actor: "system", automatic: true },
        at,
      );
    }
    cache.clear();
  }

  /**
   * keys.md's verification order. `recognised` and `hash` are what `check` already computed, if anything.
   */
  async function verifySlowly(
    request: VerifyRequest,
    known: { recognised?: RecognisedKey; hash?: string } = {},
  ): Promise<VerifiedKey> {
    const at = now();
    const atMs = at.getTime();
    const hint = whereToGet[request.family];
    if (request.presented === undefined || request.presented === "") {
      throw new CairnError("missing_key", { message: missingKeyMessage(request.family), hint });
    }
    const recognised = known.recognised ?? recogniseKey(request.presented);
    if (recognised.shape === "invalid") {
      refuseIfLimited(request.ip, atMs);
      return fail(request.ip, atMs, new CairnError("invalid_key"));
    }
    const expected = familyKind[request.family];
    if (recognised.kind !== expected) {
      throw new CairnError("wrong_key_kind", {
        message: wrongKindMessage(recognised.kind, request.family),
        hint,
      });
    }

    const hash = known.hash ?? hashKey(request.presented);
    // A key already known valid is never refused for its address: behind a shared proxy or NAT, others'
    // bad keys must not lock out a working integration. A look-up that could be a guess is counted as a
    // failure before it starts, so parallel guesses cannot all pass the check while their look-ups are in
    // flight; a key that proves good takes it back.
    const cached = cache.peek(hash);
    const knownGood = cached !== undefined && cached.revoked_at === null && cached.expiresAtMs > atMs;
    const attempt = knownGood ? null : limiter.countAttempt(addressBucket(request.ip), atMs);
    if (attempt && !attempt.admitted) throw rateLimited(attempt.retryAfterSeconds);
    // Refusals below were counted by that attempt (a known-good key never reaches them).
    const key = cached ?? (await cache.lookup(hash, atMs));
    if (!key) throw new CairnError("invalid_key");
    if (key.revoked_at !== null) {
      await auditRefusal(key, request.ip, "revoked", at);
      throw new CairnError("revoked_key", { message: `The key was revoked on ${key.revoked_at}.` });
    }
    if (key.expiresAtMs <= atMs) {
      await auditRefusal(key, request.ip, "expired", at);
      throw new CairnError("expired_key", { message: `The key expired on ${key.expires_at}.` });
    }
    if (attempt?.admitted) attempt.refund();
    if (key.kind !== expected) {
      throw new CairnError("wrong_key_kind", { message: wrongKindMessage(key.kind, request.family), hint });
    }
    if (request.origin !== undefined) {
      await flagExposed(key, request, at);
      throw new CairnError("secret_key_exposed");
    }
    if (lacksWriteScope(key, request)) {
      await auditRefusal(key, request.ip, "read-only key used for a write", at);
      throw new CairnError("insufficient_scope");
    }
    return accept(key, request, atMs);
  }

  return {
    check(request) {
      if (!request.presented || request.origin !== undefined) return verifySlowly(request);
      const atMs = nowMs();
      const expected = familyKind[request.family];
      const recognised = recogniseKey(request.presented);
      if (recognised.shape !== "secret" || recognised.kind !== expected)
        return verifySlowly(request, { recognised });
      const hash = hashKey(request.presented);
      const key = cache.peek(hash);
      if (!key || key.revoked_at !== null || key.expiresAtMs <= atMs || key.kind !== expected)
        return verifySlowly(request, { recognised, hash });
      if (lacksWriteScope(key, request)) return verifySlowly(request, { recognised, hash });
      return accept(key, request, atMs);
    },
    verify: (request) => verifySlowly(request),
    async flagExposedKey(presented, where) {
      if (recogniseKey(presented).shape !== "secret") return;
      const at = now();
      // Secret-shaped strings on collector URLs are look-ups like any key: limited per address, and an
      // unknown one counts as a failed attempt.
      const client = addressBucket(where.ip);
      if (limiter.retryAfterSeconds(client, at.getTime()) > 0) return;
      const key = await cache.lookup(hashKey(presented), at.getTime());
      if (!key) {
        limiter.recordFailure(client, at.getTime());
        return;
      }
      await flagExposed(
        key,
        { presented, family: "v1", write: false, ip: where.ip, origin: where.origin ?? where.place },
        at,
      );
    },
    storeReads: cache.reads,
    flushUsage: () => usage.flush(),
    async close() {
      cache.close();
      await usage.close();
    },
  };
}
