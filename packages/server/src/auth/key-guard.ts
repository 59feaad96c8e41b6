import type { FastifyReply, FastifyRequest } from "fastify";
import { recordAudit } from "../audit/audit-log.js";
import { CairnError } from "../errors/cairn-error.js";
import { recogniseKey } from "../keys/key-format.js";
import type { MetadataStore } from "../store/metadata/metadata-store.js";
import type { KeyFamily } from "./key-families.js";
import type { KeyVerifier, VerifiedKey } from "./key-verifier.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The accepted key, set by keyGuard; null on routes without one. */
    cairnKey: VerifiedKey | null;
  }
}

const readMethods = new Set(["GET", "HEAD", "OPTIONS"]);

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A key found in the query string, other than the Feedback API's `auth-token` that Pendo clients send. */
function keyInQuery(query: unknown, family: KeyFamily): boolean {
  if (typeof query !== "object" || query === null) return false;
  return Object.entries(query).some(([name, value]) => {
    if (family === "feedback" && name === "auth-token") return false;
    if (/integration[-_]?key|^auth-token$|^api[-_]?key$/i.test(name)) return true;
    return typeof value === "string" && recogniseKey(value).shape === "secret";
  });
}

/** A preHandler that admits only requests carrying a valid key of the family's kind. */
export function keyGuard(verifier: KeyVerifier, metadata: MetadataStore, family: KeyFamily) {
  return async function requireKey(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    if (keyInQuery(request.query, family)) throw new CairnError("key_in_url");
    let presented = header(request, "x-pendo-integration-key");
    let fromUrl = false;
    if (family === "feedback" && presented === undefined) {
      presented = header(request, "auth-token");
      const query = request.query as Record<string, unknown> | undefined;
      if (presented === undefined && typeof query?.["auth-token"] === "string") {
        presented = query["auth-token"];
        fromUrl = true;
      }
    }
    request.cairnKey = await verifier.verify({
      presented,
      family,
      write: !readMethods.has(request.method),
      ip: request.ip,
      origin: header(request, "origin"),
    });
    if (fromUrl) {
      await recordAudit(metadata.db, {
        subscriptionId: request.cairnKey.subscriptionId,
        actor: request.cairnKey.id,
        action: "key.sent_in_url",
        target: request.cairnKey.id,
        ip: request.ip,
        detail: { warning: "auth-token sent in the query string; send it as a header instead" },
      });
    }
  };
}
