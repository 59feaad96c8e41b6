import type { UserRole } from "../../access/users/roles.js";
import { addUser } from "../../access/users/user-service.js";
import type { RunningCairn } from "../start-cairn.js";

export type Json = Record<string, unknown>;
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: Json & Json[];
}

/** A request to a running server over HTTP, with an integration key, a JSON body or raw text. */
export async function callApi(
  cairn: RunningCairn,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.key) headers["x-pendo-integration-key"] = options.key;
  if (options.body !== undefined || options.raw !== undefined) headers["content-type"] = "application/json";
  Object.assign(headers, options.headers);
  const response = await fetch(`${cairn.publicUrl}${path}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  let body: unknown = {};
  if (text && /json/.test(response.headers.get("content-type") ?? "")) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, text, body: body as Json & Json[] };
}

export function errorOf(answer: Answer): { code: string; message: string; hint: string; requestId: string } {
  return answer.body.error as { code: string; message: string; hint: string; requestId: string };
}

export interface AdminSession {
  readonly cookie: string;
  readonly csrf: string;
  readonly userId: string;
}

/** A new user of the role, signed in through the admin API's sign-in link. */
export async function adminSession(
  cairn: RunningCairn,
  role: UserRole,
  subscriptionId: string = cairn.installation.subscription.id,
): Promise<AdminSession> {
  const user = await addUser(cairn.metadata.db, {
    subscriptionId,
    email: `${role}-${Math.random().toString(36).slice(2)}@example.com`,
    name: `A ${role}`,
    role,
    actor: "test",
  });
  const answer = await fetch(`${cairn.publicUrl}/api/admin/sign-in/link`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: user.signInToken }),
  });
  const body = (await answer.json()) as { csrfToken: string; user: { id: string } };
  const cookie = /^(cairn_session=[^;]+)/.exec(answer.headers.get("set-cookie") ?? "")?.[1] ?? "";
  return { cookie, csrf: body.csrfToken, userId: body.user.id };
}

/** An admin API request with the session's cookie and CSRF token. */
export function callAdmin(
  cairn: RunningCairn,
  session: AdminSession,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  return callApi(cairn, method, path, {
    body,
    headers: { cookie: session.cookie, "x-csrf-token": session.csrf },
  });
}
