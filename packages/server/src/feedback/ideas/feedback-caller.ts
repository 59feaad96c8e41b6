import type { EndUserTrust } from "../end-users/end-users.js";

/**
 * Who asks: the key's subscription and id (recorded on what it writes). For a signed-in user of the admin API,
 * `keyId` is the user's id (as the audit log names actors) and `audit` is set.
 */
export interface FeedbackCaller {
  readonly subscriptionId: string;
  readonly keyId: string;
  /** How far the caller may change existing end users it names; full trust when left out (a secret key). */
  readonly endUserTrust?: EndUserTrust;
  /** When set, each change is also written to the audit log, `keyId` as its actor, from this address. */
  readonly audit?: { readonly ip: string | null };
}
