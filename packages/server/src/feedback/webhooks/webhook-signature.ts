import { createHmac } from "node:crypto";
import { randomBase62 } from "../../platform/ids/random-base62.js";

/** The prefix of a hook's signing secret: Cairn's secrets say what they are, so scanners can find leaks. */
export const webhookSecretPrefix = "cws_";

/** A new signing secret: the prefix and 43 base62 characters (256 bits). */
export function generateWebhookSecret(): string {
  return `${webhookSecretPrefix}${randomBase62(43)}`;
}

/** The header a delivery is signed in, and the one naming the hook (so a receiver picks its secret). */
export const signatureHeader = "Cairn-Signature";
export const webhookIdHeader = "Cairn-Webhook-Id";

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256>` over `<t>.<body>`, keyed with the whole secret (prefix included)
 * as UTF-8: a receiver recomputes it from the raw body and refuses a timestamp more than 5 minutes away.
 */
export function signDelivery(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`, "utf8").digest("hex");
  return `t=${t},v1=${v1}`;
}
