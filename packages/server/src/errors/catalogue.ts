/**
 * Every error Cairn answers with, in one place: its HTTP status, the public message and the hint that
 * tells the caller what to do. `docs/errors.md` has a row per code; a test keeps the two in step.
 */
export const errorCatalogue = {
  bad_request: {
    status: 400,
    message: "The request is malformed.",
    hint: "Check the request body and parameters against the API documentation at /api/docs.",
  },
  payload_too_large: {
    status: 413,
    message: "The request body is larger than this endpoint accepts.",
    hint: "Send fewer items per request.",
  },
  unsupported_media_type: {
    status: 415,
    message: "The request's Content-Type is not accepted here.",
    hint: "Send application/json.",
  },
  not_found: {
    status: 404,
    message: "Nothing is served at this address.",
    hint: "Check the method and path; the API reference is at /api/docs.",
  },
  rate_limited: {
    status: 429,
    message: "Too many requests from this client.",
    hint: "Wait for the number of seconds in the Retry-After header, then try again.",
  },
  shutting_down: {
    status: 503,
    message: "This server is shutting down.",
    hint: "Retry on another server or in a few seconds.",
  },
  internal: {
    status: 500,
    message: "Something went wrong on the server.",
    hint: "Try again; if it keeps failing, give the requestId to your Cairn operator.",
  },
} as const satisfies Record<string, { status: number; message: string; hint: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
