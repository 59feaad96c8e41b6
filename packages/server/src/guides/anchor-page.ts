import type { IncomingMessage } from "node:http";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { guardedLookup, type Resolve, WebhookRefusedError } from "../feedback/webhooks/guarded-lookup.js";
import {
  describeRefused,
  normaliseHost,
  refusedAddress,
  type WebhookPolicy,
} from "../feedback/webhooks/webhook-policy.js";

/** How far the anchor check goes to read an author's page. */
export interface AnchorFetchLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
}

export const anchorFetchLimits: AnchorFetchLimits = {
  timeoutMs: 5_000,
  maxBytes: 2 * 1024 * 1024,
  maxRedirects: 3,
};

/** Why a page could not be read; the message is the author's to read. */
export class AnchorPageError extends Error {
  override readonly name = "AnchorPageError";
  constructor(
    readonly reason: "refused" | "fetch_failed" | "not_html" | "too_big",
    message: string,
  ) {
    super(message);
  }
}

const allowHint = "ask the operator to add it to CAIRN_WEBHOOK_ALLOW";

/**
 * The refusal of a URL before connecting: a scheme other than http(s), or an IP address host inside a network.
 * A name is checked on each address it resolves to when connecting (`guardedLookup`), as webhooks are: the
 * operator's `CAIRN_WEBHOOK_ALLOW` exceptions are the same for both, since both are the server reaching out.
 */
function refusal(policy: WebhookPolicy, url: URL): string | null {
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return `${url.protocol} URLs are not read; give an http:// or https:// URL.`;
  if (url.username !== "" || url.password !== "") return "the URL has a user name or password in it.";
  const host = normaliseHost(url.hostname);
  if (isIP(host) === 0) return null;
  const refused = refusedAddress(policy, host, host);
  return refused === null ? null : `${describeRefused(refused)} is inside a network; ${allowHint}.`;
}

function get(url: URL, policy: WebhookPolicy, signal: AbortSignal, resolve?: Resolve) {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<IncomingMessage>((done, fail) => {
    const request = send(url, {
      method: "GET",
      headers: { accept: "text/html,application/xhtml+xml", "user-agent": "Cairn anchor check" },
      agent: false,
      lookup: guardedLookup(policy, resolve),
      signal,
    });
    request.on("response", done);
    request.on("error", fail);
    request.end();
  });
}

function failure(error: unknown, url: URL, limits: AnchorFetchLimits): AnchorPageError {
  if (error instanceof WebhookRefusedError)
    return new AnchorPageError("refused", `${error.message.replace(/; add .*$/, "")}; ${allowHint}.`);
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError"))
    return new AnchorPageError(
      "fetch_failed",
      `${url.host} did not answer within ${limits.timeoutMs / 1000} seconds.`,
    );
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === "ENOTFOUND"
      ? "no such host"
      : (code ?? (error instanceof Error ? error.message : String(error)));
  return new AnchorPageError("fetch_failed", `could not read ${url.host}: ${why}.`);
}

const htmlTypes = /^(text\/html|application\/xhtml\+xml)\b/i;

/**
 * Reads an HTML page for the anchor check: GET, following at most `maxRedirects` redirects (each target checked
 * again), within `timeoutMs` in all, refusing a body past `maxBytes` and anything that is not HTML.
 */
export async function fetchAnchorPage(
  address: string,
  policy: WebhookPolicy,
  limits: AnchorFetchLimits = anchorFetchLimits,
  resolve?: Resolve,
): Promise<{ url: string; html: string }> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new AnchorPageError("refused", "is not an absolute URL; write it as https://…");
  }
  const signal = AbortSignal.timeout(limits.timeoutMs);
  for (let redirects = 0; ; redirects++) {
    const refused = refusal(policy, url);
    if (refused !== null) throw new AnchorPageError("refused", refused);
    let response: IncomingMessage;
    try {
      response = await get(url, policy, signal, resolve);
    } catch (error) {
      throw failure(error, url, limits);
    }
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location !== undefined) {
      response.destroy();
      if (redirects >= limits.maxRedirects)
        throw new AnchorPageError("fetch_failed", `more than ${limits.maxRedirects} redirects.`);
      try {
        url = new URL(location, url);
      } catch {
        throw new AnchorPageError("fetch_failed", `${url.host} redirected to an invalid URL.`);
      }
      continue;
    }
    if (status < 200 || status >= 300) {
      response.destroy();
      throw new AnchorPageError("fetch_failed", `${url.host} answered HTTP ${status}.`);
    }
    const type = response.headers["content-type"] ?? "";
    if (!htmlTypes.test(type)) {
      response.destroy();
      throw new AnchorPageError(
        "not_html",
        `the page is ${type === "" ? "of no stated type" : type}, not HTML.`,
      );
    }
    const tooBig = () =>
      new AnchorPageError("too_big", `the page is larger than ${limits.maxBytes / 1024 / 1024} MB.`);
    if (Number(response.headers["content-length"] ?? 0) > limits.maxBytes) {
      response.destroy();
      throw tooBig();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response) {
        size += (chunk as Buffer).length;
        if (size > limits.maxBytes) {
          response.destroy();
          throw tooBig();
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      if (error instanceof AnchorPageError) throw error;
      throw failure(error, url, limits);
    }
    return { url: url.href, html: Buffer.concat(chunks).toString("utf8") };
  }
}
