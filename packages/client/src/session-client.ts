import createClient, { type Client } from "openapi-fetch";
import { CairnApiError, dataOf } from "./api-error.js";
import type { paths } from "./generated/openapi.js";

/** The admin API's paths: what a signed-in person reaches with the session cookie. */
export type AdminPaths = {
  [Path in keyof paths as Path extends `/api/admin/${string}` ? Path : never]: paths[Path];
};

/** The JSON answer of an admin route for a status (200 unless named). */
export type AdminAnswer<
  Path extends keyof AdminPaths,
  Method extends keyof AdminPaths[Path],
  Status extends number = 200,
> = AdminPaths[Path][Method] extends {
  responses: { [S in Status]: { content: { "application/json": infer R } } };
}
  ? R
  : never;

/** The JSON body an admin route takes. */
export type AdminBody<
  Path extends keyof AdminPaths,
  Method extends keyof AdminPaths[Path],
> = AdminPaths[Path][Method] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;

export interface SessionClient {
  /** An openapi-fetch client typed by the admin paths; sends the session cookie and, once known, the CSRF token. */
  readonly api: Client<AdminPaths>;
  /** The session's CSRF token (from sign-in or `GET /api/admin/session`), sent on every request that changes something. */
  setCsrfToken(token: string | null): void;
}

/**
 * A client for the admin API as a signed-in browser uses it (the web app): same-origin requests with the session
 * cookie, the CSRF token on writes.
 *
 * @example
 * const { api } = createSessionClient();
 * const apps = await must(api.GET("/api/admin/apps"));
 */
export function createSessionClient(options: { baseUrl?: string; fetch?: typeof fetch } = {}): SessionClient {
  let csrfToken: string | null = null;
  const api = createClient<AdminPaths>({
    baseUrl: options.baseUrl ?? "",
    credentials: "same-origin",
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  api.use({
    onRequest({ request }) {
      if (csrfToken !== null && !["GET", "HEAD"].includes(request.method)) {
        request.headers.set("x-csrf-token", csrfToken);
      }
      return request;
    },
  });
  return {
    api,
    setCsrfToken(token) {
      csrfToken = token;
    },
  };
}

/** The `data` of an openapi-fetch answer, or the API's error (message, hint, code) as a CairnApiError. */
export const must = dataOf;
export { CairnApiError };

/** For answers without a body (204): resolves when the request succeeded, else throws the API's error. */
export async function mustSucceed(call: Promise<{ error?: unknown; response: Response }>): Promise<void> {
  const { error, response } = await call;
  if (!response.ok) throw new CairnApiError(response.status, error);
}
