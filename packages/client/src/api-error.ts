import type { components } from "./generated/openapi.js";

/** The body every Cairn error answers with: `{error: {code, message, hint, requestId}}`. */
export type ErrorBody = components["schemas"]["Error"];

/** An error answer of Cairn's (or Pendo's) API, with Cairn's `{error: {code, message, hint, requestId}}` when given. */
export class CairnApiError extends Error {
  readonly status: number;
  /** Cairn's error code (`wrong_key_kind`, `not_found`, …); undefined when the body was not Cairn's shape. */
  readonly code: string | undefined;
  readonly hint: string | undefined;
  readonly requestId: string | undefined;
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    const error = isErrorBody(body) ? body.error : undefined;
    super(error?.message ?? `The API answered ${status}.`);
    this.name = "CairnApiError";
    this.status = status;
    this.code = error?.code;
    this.hint = error?.hint;
    this.requestId = error?.requestId;
    this.body = body;
  }
}

function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== "object" || body === null || !("error" in body)) return false;
  const error: unknown = body.error;
  return typeof error === "object" && error !== null && "code" in error && "message" in error;
}

/** The `data` of an openapi-fetch answer, or the error as a CairnApiError. */
export async function dataOf<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || data === undefined) throw new CairnApiError(response.status, error);
  return data;
}
