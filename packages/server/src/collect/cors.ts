/**
 * The agent talks to Cairn from the customer's pages, with no cookies or credentials (agent-wire.md §1),
 * so any origin may read the answers; an app's allowed origins are enforced on the data, not here.
 */
export const collectorCorsHeaders = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  // x-cairn-identity: the visitor's identity token on the feedback panel's requests (widget-identity.ts).
  "access-control-allow-headers": "content-type, x-cairn-identity",
  "access-control-max-age": "86400",
} as const;

/** 1×1 transparent GIF, 43 bytes: what every beacon answers so `<img>` sends count as delivered. */
export const transparentGif = Buffer.from(
  "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==",
  "base64",
);
