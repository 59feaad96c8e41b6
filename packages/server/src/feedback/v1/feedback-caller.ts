import type { FastifyRequest } from "fastify";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { FeedbackCaller } from "../ideas/idea-service.js";

/** The subscription and key of a request the Feedback key guard admitted. */
export function feedbackCallerOf(request: FastifyRequest): FeedbackCaller {
  const key = request.cairnKey;
  // The guard runs on every route of this context; without a key here, a route was registered outside it.
  if (!key) throw new CairnError("internal");
  return { subscriptionId: key.subscriptionId, keyId: key.id };
}
