import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { guardedLookup, type Resolve, WebhookRefusedError } from "./guarded-lookup.js";
import { describeRefused, normaliseHost, refusedAddress, type WebhookPolicy } from "./webhook-policy.js";

/** What one attempt came to: a 2xx, a failure worth retrying, or a refusal by the address policy. */
export type PostOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly refused: boolean; readonly error: string };

const refused = (error: string): PostOutcome => ({ ok: false, refused: true, error: `refused: ${error}` });

/** The refusal of a URL before any connection: its scheme, or an IP address host (no lookup is made for those). */
function refusalBeforeConnecting(policy: WebhookPolicy, url: URL): string | null {
  if (url.protocol === "http:" && !policy.allowHttp) {
    return "http:// URLs are not allowed; use https, or set CAIRN_WEBHOOK_ALLOW_HTTP=true";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `${url.protocol} URLs are not allowed`;
  const host = normaliseHost(url.hostname);
  if (isIP(host) === 0) return null;
  const address = refusedAddress(policy, host, host);
  return address === null
    ? null
    : `${describeRefused(address)}; add the address to CAIRN_WEBHOOK_ALLOW to allow it`;
}

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return error instanceof Error ? `${error.name}: ${error.message}${cause}` : String(error);
}

/**
 * POSTs `body` to `targetUrl` over a connection of its own, made to an address the policy allows: an IP
 * address host is checked here, a name on each address it resolves to (`guardedLookup`). A redirect is not
 * followed: the receiver is the URL subscribed, nothing it points elsewhere.
 */
export async function postWebhook(
  targetUrl: string,
  init: {
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
    readonly policy: WebhookPolicy;
    readonly resolve?: Resolve;
    readonly signal: AbortSignal;
  },
): Promise<PostOutcome> {
  let url: URL;
  try {
    url = new URL(targetUrl);
  } catch {
    return refused(`${targetUrl} is not an absolute URL`);
  }
  const before = refusalBeforeConnecting(init.policy, url);
  if (before !== null) return refused(before);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<PostOutcome>((resolve) => {
    const request = send(url, {
      method: "POST",
      headers: { ...init.headers, "Content-Length": String(Buffer.byteLength(init.body)) },
      // No shared agent: every delivery connects, and so looks up and checks, afresh.
      agent: false,
      lookup: guardedLookup(init.policy, init.resolve),
      signal: init.signal,
    });
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      // Only the status matters; the body is not read.
      response.destroy();
      resolve(
        status >= 200 && status < 300 ? { ok: true } : { ok: false, refused: false, error: `HTTP ${status}` },
      );
    });
    request.on("error", (error) => {
      resolve(
        error instanceof WebhookRefusedError
          ? refused(error.message)
          : { ok: false, refused: false, error: describe(error) },
      );
    });
    request.end(init.body);
  });
}
