import type { FastifyRequest } from "fastify";
import {
  identityMismatch,
  identityRequired,
  invalidIdentityToken,
} from "../../access/identity/identity-errors.js";
import { type IdentityPolicy, requiresToken } from "../../access/identity/identity-policy.js";
import { type SignedIdentity, verifyIdentityToken } from "../../access/identity/identity-token.js";
import { firstHeader } from "../../platform/http/first-header.js";
import type { EndUserInput, EndUserTrust } from "../end-users/end-users.js";

/** The header Cairn's agent sends the page's identity token in, on the panel's requests. */
export const identityTokenHeader = "x-cairn-identity";

const untrusted: EndUserTrust = { user: false, account: false };

/**
 * The visitor the page's back end vouched for, or null when the request carries no token. A token that is
 * sent is checked even where none is required: a page that signs wants to hear when its tokens fail.
 */
export function signedVisitor(
  request: FastifyRequest,
  policy: IdentityPolicy,
  now: Date = new Date(),
): SignedIdentity | null {
  const token = firstHeader(request, identityTokenHeader);
  if (token === undefined || token === "") return null;
  const check = verifyIdentityToken(token, policy.verifiers, now);
  if (!check.ok) throw invalidIdentityToken(check.problem);
  return check.identity;
}

/** Reading a visitor's own votes: with the requirement on, only with a token for that visitor. */
export function checkReader(visitorId: string, signed: SignedIdentity | null, policy: IdentityPolicy): void {
  if (signed === null) {
    if (requiresToken(policy, "panel")) throw identityRequired("the feedback panel");
  } else if (signed.visitorId !== visitorId) throw identityMismatch("visitor");
}

/**
 * What a panel write may change of the end user it names. Without a token (where none is required) it may
 * create them, never change them; a token for them lets it change their e-mail and name, and their account
 * too when the token names that account. A token for someone else is refused.
 */
export function writerTrust(
  user: EndUserInput,
  signed: SignedIdentity | null,
  policy: IdentityPolicy,
): EndUserTrust {
  checkReader(user.id, signed, policy);
  if (signed === null) return untrusted;
  const account = user.account?.id;
  if (account !== undefined && signed.accountId !== null && signed.accountId !== account)
    throw identityMismatch("account");
  return { user: true, account: account !== undefined && signed.accountId === account };
}
