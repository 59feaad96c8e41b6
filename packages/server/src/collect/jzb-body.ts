import { CairnError } from "../platform/errors/cairn-error.js";

/** The agent's POST body: `{"events": "<jzb>"}` as application/json, or as text/plain from sendBeacon. */
export function jzbFromBody(body: unknown): string {
  const parsed = typeof body === "string" ? safeJson(body) : body;
  if (
    typeof parsed === "object" &&
    parsed !== null &&
    typeof (parsed as { events?: unknown }).events === "string"
  ) {
    return (parsed as { events: string }).events;
  }
  throw new CairnError("bad_request", { message: 'The body must be {"events": "<jzb>"}.' });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
