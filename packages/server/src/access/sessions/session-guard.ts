import { timingSafeEqual } from "node:crypto";
import type {} from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { type ActiveSession, csrfTokenFor, findSession } from "./sessions.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in user's session, set by sessionGuard; null on other routes. */
    adminSession: ActiveSession | null;
  }
}

/**
 * The session cookie's name. Under https it carries the `__Host-` prefix: browsers then accept it only if it is
 * Secure, for path `/` and without a Domain, so a sibling subdomain cannot plant or overwrite it.
 */
export function sessionCookieName(publicUrl: string): string {
  return publicUrl.startsWith("https://") ? "__Host-cairn_session" : "cairn_session";
}
const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Admits requests with a live session cookie; a state-changing request must also carry the session's CSRF
 * token in `x-csrf-token` and, when the browser names an origin, come from Cairn's own.
 */
export function sessionGuard(metadata: MetadataStore, publicUrl: () => string) {
  return async function requireSession(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = request.cookies[sessionCookieName(publicUrl())];
    const session = token ? await findSession(metadata.db, token) : null;
    if (!token || !session) throw new CairnError("not_signed_in");
    if (!safeMethods.has(request.method)) {
      const origin = request.headers.origin;
      const csrf = request.headers["x-csrf-token"];
      if (
        (origin !== undefined && origin !== new URL(publicUrl()).origin) ||
        typeof csrf !== "string" ||
        !sameSecret(csrf, csrfTokenFor(token))
      ) {
        throw new CairnError("csrf_failed");
      }
    }
    request.adminSession = session;
  };
}

/** The session of a request that passed sessionGuard. */
export function sessionOf(request: FastifyRequest): ActiveSession {
  if (!request.adminSession) throw new CairnError("not_signed_in");
  return request.adminSession;
}
