import type { FastifyRequest } from "fastify";
import { CairnError } from "../../platform/errors/cairn-error.js";

/** The subscription whose integration key the v1 guard admitted: everything a route reads or writes is its. */
export function subscriptionOf(request: FastifyRequest): string {
  const key = request.cairnKey;
  // The guard runs on every route of the v1 context; without a key here, a route was registered outside it.
  if (!key) throw new CairnError("internal");
  return key.subscriptionId;
}
