import type { FastifyRequest } from "fastify";
import { sessionOf } from "../../access/sessions/session-guard.js";
import { type AdminAction, requirePermission } from "../../access/users/permissions.js";
import type { EndUserInput } from "../end-users/end-users.js";
import { feedbackLimits } from "../ideas/feedback-limits.js";
import type { FeedbackCaller } from "../ideas/idea-service.js";

/**
 * The signed-in user as the idea services' caller, once they may do `action`: their subscription, their id
 * where a key's would be recorded (`created_by_key`, `changed_by_key`, … and the audit log's actor), and every
 * change audited from the request's address.
 */
export function adminFeedbackCaller(request: FastifyRequest, action: AdminAction): FeedbackCaller {
  const session = sessionOf(request);
  requirePermission(session.user, action);
  return { subscriptionId: session.subscriptionId, keyId: session.user.id, audit: { ip: request.ip } };
}

/** Comments name an end user: a team member's is this one, under an external id no end user of theirs has. */
export const teamMemberPrefix = "cairn-user:";

/** The end user a signed-in user's comments are written as: their name and e-mail, kept up to date. */
export function teamMemberAsEndUser(request: FastifyRequest): EndUserInput {
  const { user } = sessionOf(request);
  const name = user.name.trim().slice(0, feedbackLimits.nameLength);
  return {
    id: `${teamMemberPrefix}${user.id}`,
    email: user.email,
    ...(name.length > 0 ? { name } : {}),
  };
}
