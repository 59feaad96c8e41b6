import { CairnError } from "../../platform/errors/cairn-error.js";
import { maxTokenLifetimeMs, type TokenProblem } from "./identity-token.js";

const hours = maxTokenLifetimeMs / 3_600_000;
const howToSign = `the page's back end signs a JWT (HS256) {sub: <visitor id>, account?: <account id>, exp} with the app's identity secret, at most ${hours} h long, and the page passes it as pendo.initialize({ visitor, account, identityToken })`;

const problems: Readonly<Record<TokenProblem, string>> = {
  malformed: "The identity token is not a JWT (header.payload.signature, base64url).",
  algorithm: 'The identity token must be signed with HS256: its header must be {"alg":"HS256","typ":"JWT"}.',
  signature:
    "The identity token's signature does not match any of this app's identity secrets (was it signed with another app's secret, an old secret past its grace period, or changed after signing?).",
  expired: "The identity token has expired or has no numeric exp.",
  not_yet_valid: "The identity token's nbf or iat is in the future (is the back end's clock right?).",
  too_long_lived: `The identity token lives longer than ${hours} h.`,
  no_visitor: "The identity token names no visitor: put the visitor id in its sub claim.",
  no_secret:
    "This app has no identity secret yet: an admin creates one with `cairn keys create --kind identity --app <app id>`.",
};

/** 401 for a request that needs a signed visitor identity and sent none. */
export function identityRequired(where: string): CairnError {
  return new CairnError("identity_required", {
    message: `This app requires a signed visitor identity for ${where}: ${howToSign}.`,
  });
}

/** 401 for a token that does not hold, saying what the page's back end must change. */
export function invalidIdentityToken(problem: TokenProblem): CairnError {
  return new CairnError("invalid_identity_token", { message: `${problems[problem]} Fix: ${howToSign}.` });
}

/** 401 for a valid token that vouches for someone other than the request's visitor or account. */
export function identityMismatch(what: "visitor" | "account"): CairnError {
  return new CairnError("invalid_identity_token", {
    message: `The identity token was signed for another ${what} than the one this request names. Fix: ${howToSign}, for the signed-in user, and sign a new one when the user changes (pendo.identify({ visitor, account, identityToken })).`,
  });
}
