import { CairnApiError, createSessionClient, must, mustSucceed } from "@cairn/client/session";

// The one admin API client of the app: same origin, session cookie, CSRF token on writes.
const session = createSessionClient();

export const api = session.api;
export const setCsrfToken = session.setCsrfToken;
export { CairnApiError, must, mustSucceed };

/** What to tell the person: the API's message and its hint, or what went wrong on the way. */
export function explain(error: unknown): { message: string; hint: string | undefined } {
  if (error instanceof CairnApiError) return { message: error.message, hint: error.hint };
  if (error instanceof TypeError)
    return { message: "Cairn did not answer.", hint: "Check that the server runs." };
  return { message: error instanceof Error ? error.message : String(error), hint: undefined };
}
