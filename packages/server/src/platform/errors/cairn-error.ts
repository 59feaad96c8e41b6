import { type ErrorCode, errorCatalogue } from "./catalogue.js";
import type { ErrorBody } from "./error-body.js";

export type { ErrorBody } from "./error-body.js";

/** An expected failure with a catalogued code; the renderer turns it into the JSON error body. */
export class CairnError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly hint: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    details: { message?: string; hint?: string; headers?: Record<string, string> } = {},
  ) {
    const entry = errorCatalogue[code];
    super(details.message ?? entry.message);
    this.name = "CairnError";
    this.code = code;
    this.status = entry.status;
    this.hint = details.hint ?? entry.hint;
    this.headers = details.headers ?? {};
  }
}

export function renderError(error: CairnError, requestId?: string): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      hint: error.hint,
      ...(requestId ? { requestId } : {}),
    },
  };
}
