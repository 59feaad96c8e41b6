import type { FastifyRequest } from "fastify";
import { type IdentityPolicy, requiresToken } from "../access/identity/identity-policy.js";
import { verifyIdentityToken } from "../access/identity/identity-token.js";
import type { BeaconIdentity } from "../ingest/agent-event.js";

/**
 * The beacon's identity token where Pendo's agent puts its signed-metadata JWT (agent-wire.md §2, §2.2), which
 * Cairn's agent does too: `jwt` in the query (GET beacons; also read on POSTs), or in the POST body beside
 * `events` (JSON, or text/plain from sendBeacon).
 */
function beaconToken(request: FastifyRequest): string | undefined {
  const query = (request.query as { jwt?: unknown } | undefined)?.jwt;
  if (typeof query === "string") return query;
  let body: unknown = request.body;
  if (typeof body === "string") {
    if (!body.includes('"jwt"')) return undefined;
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const jwt = typeof body === "object" && body !== null ? (body as { jwt?: unknown }).jwt : undefined;
  return typeof jwt === "string" ? jwt : undefined;
}

/**
 * For an app that requires a signed visitor identity on events: which visitor the beacon's token vouches for
 * (null without a valid one) and what the app does with the rest (ingest/agent-event.ts). A bad token is not
 * refused here: the agent would re-send the batch for ever, so its identified events count as unsigned.
 * Undefined for any other app, whose beacons are taken as Pendo's agent sends them.
 */
export function beaconIdentity(
  request: FastifyRequest,
  policy: IdentityPolicy,
  now: Date = new Date(),
): BeaconIdentity | undefined {
  if (!requiresToken(policy, "events")) return undefined;
  const token = beaconToken(request);
  const check = token === undefined ? null : verifyIdentityToken(token, policy.verifiers, now);
  return { signedVisitorId: check?.ok ? check.identity.visitorId : null, unsigned: policy.unsignedEvents };
}
