import type { FastifyRequest } from "fastify";
import { CairnError } from "../../platform/errors/cairn-error.js";

/** The integration key that made a v1 request, as the author objects and the audit log record. */
export function keyActor(request: FastifyRequest): { id: string; ip: string } {
  // The guard runs on every route of the v1 context; without a key here, a route was registered outside it.
  if (!request.cairnKey) throw new CairnError("internal");
  return { id: request.cairnKey.id, ip: request.ip };
}
