import type { FastifyReply, FastifyRequest } from "fastify";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { firstHeader } from "../../platform/http/first-header.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { recordAudit } from "../audit/audit-log.js";
import type { KeyFamily } from "./key-families.js";
import { recogniseKey } from "./key-format.js";
import type { KeyVerifier, VerifiedKey } from "./key-verifier.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The accepted key, set by keyGuard; null on routes without one. */
    cairnKey: VerifiedKey | null;
  }
  interface FastifyContextConfig {
    /** A POST that only reads (`/api/v1/aggregation`): read-only keys may call it. */
    readsOnly?: boolean;
  }
}

const readMethods = new Set(["GET", "HEAD", "OPTIONS"]);

const keyParameterName = /integration[-_]?key|^auth-token$|^api[-_]?key$/i;

/** A key found in the query string, other than the Feedback API's `auth-token` that Pendo clients send. */
function keyInQuery(query: unknown, family: KeyFamily): boolean {
  if (typeof query !== "object" || query === null) return false;
  // for…in, not Object.entries: most requests have no query, and this runs on each of them.
  for (const name in query) {
    if (family === "feedback" && name === "auth-token") continue;
    if (keyParameterName.test(name)) return true;
    const value: unknown = (query as Record<string, unknown>)[name];
    if (typeof value === "string" && recogniseKey(value).shape === "secret") return true;
  }
  return false;
}

/** A preHandler that admits only requests carrying a valid key of the family's kind. */
export function keyGuard(verifier: KeyVerifier, metadata: MetadataStore, family: KeyFamily) {
  async function auditKeyInUrl(request: FastifyRequest, key: VerifiedKey): Promise<void> {
    await recordAudit(metadata.db, {
      subscriptionId: key.subscriptionId,
      actor: key.id,
      action: "key.sent_in_url",
      target: key.id,
      ip: request.ip,
      detail: { warning: "auth-token sent in the query string; send it as a header instead" },
    });
  }

  // Callback style, not async: a cached valid key then costs no promise at all on this hot path.
  return function requireKey(
    request: FastifyRequest,
    _reply: FastifyReply,
    done: (error?: Error) => void,
  ): void {
    if (keyInQuery(request.query, family)) {
      done(new CairnError("key_in_url"));
      return;
    }
    let presented = firstHeader(request, "x-pendo-integration-key");
    let fromUrl = false;
    if (family === "feedback" && presented === undefined) {
      presented = firstHeader(request, "auth-token");
      const query = request.query as Record<string, unknown> | undefined;
      if (presented === undefined && typeof query?.["auth-token"] === "string") {
        presented = query["auth-token"];
        fromUrl = true;
      }
    }
    const verifyRequest = {
      presented,
      family,
      write: !readMethods.has(request.method) && request.routeOptions.config?.readsOnly !== true,
      ip: request.ip,
      origin: firstHeader(request, "origin"),
    };
    const checked = verifier.check(verifyRequest);
    if (!(checked instanceof Promise) && !fromUrl) {
      request.cairnKey = checked;
      done();
      return;
    }
    Promise.resolve(checked).then(async (key) => {
      request.cairnKey = key;
      if (fromUrl) await auditKeyInUrl(request, key);
      done();
    }, done);
  };
}
