/**
 * Every error Cairn answers with, in one place: its HTTP status, the public message and the hint that
 * tells the caller what to do. `docs/errors.md` has a row per code; a test keeps the two in step.
 */
export const errorCatalogue = {
  bad_request: {
    status: 400,
    message: "The request is malformed.",
    hint: "Check the request body and parameters against the HTTP section of the README.",
  },
  invalid_pipeline: {
    status: 400,
    message: "The aggregation cannot run as written.",
    hint: "The message names the stage, the field and the problem; the aggregation language is described in docs/aggregation.md.",
  },
  result_too_large: {
    status: 400,
    message: "The aggregation gives more rows than one answer may hold.",
    hint: 'Page through them: add {"sort": ["key"]}, {"filter": "key > "last key seen""} and {"limit": N}, or a shorter time range.',
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
  missing_key: {
    status: 401,
    message: "No key was sent.",
    hint: "Send an integration key in the x-pendo-integration-key header (Settings → Integrations → Integration Keys).",
  },
  wrong_key_kind: {
    status: 401,
    message: "This kind of key is not accepted here.",
    hint: "Use the kind of key the message names.",
  },
  invalid_key: {
    status: 401,
    message: "The key is not valid.",
    hint: "Check that the whole key was copied. A lost key cannot be shown again: create a new one.",
  },
  revoked_key: {
    status: 401,
    message: "The key was revoked.",
    hint: "Create a new key; a revoked key never works again.",
  },
  expired_key: {
    status: 401,
    message: "The key has expired.",
    hint: "Create a new key, or roll keys before they expire.",
  },
  key_in_url: {
    status: 401,
    message: "Keys are not accepted in URLs, where logs and browser histories keep them.",
    hint: "Send the key in the x-pendo-integration-key header.",
  },
  insufficient_scope: {
    status: 403,
    message: "This key is read-only.",
    hint: "Writes need an integration key created with write access.",
  },
  secret_key_exposed: {
    status: 403,
    message: "A secret key was sent from a browser, so it must be treated as leaked; it has been flagged.",
    hint: "Secret keys belong on back ends only. Revoke this key, create a new one and keep it out of front-end code.",
  },
  not_signed_in: {
    status: 401,
    message: "You are not signed in, or your session ended.",
    hint: "Sign in again at /admin.",
  },
  invalid_credentials: {
    status: 401,
    message: "The email and password do not match, or the sign-in link was used or has expired.",
    hint: "Check them and try again; an owner can send you a new sign-in link (cairn users link EMAIL).",
  },
  csrf_failed: {
    status: 403,
    message: "The request did not carry this session's CSRF token, or came from another site.",
    hint: "Send the csrfToken from GET /api/admin/session in the x-csrf-token header.",
  },
  current_password_required: {
    status: 403,
    message: "Changing a password needs the current one.",
    hint: "Send currentPassword with the new password. Forgot it? An owner or admin prints a new sign-in link (`cairn users link EMAIL`); within 15 minutes of using it, a new password needs no current one.",
  },
  forbidden: {
    status: 403,
    message: "Your role does not allow this.",
    hint: "Ask a subscription owner.",
  },
  feedback_widget_off: {
    status: 403,
    message: "This app's in-app feedback panel is off.",
    hint: "An admin turns it on with `cairn apps feedback-widget <app-id> on` (or PUT /api/admin/apps/:id/feedback-widget); to send ideas from your back end, use a Feedback key with POST /api/v1/ideas.",
  },
  identity_required: {
    status: 401,
    message: "This app requires a signed visitor identity here.",
    hint: "Your back end signs a JWT (HS256) {sub, account?, exp} for the signed-in user with the app's identity secret; the page passes it as pendo.initialize({ visitor, account, identityToken }).",
  },
  invalid_identity_token: {
    status: 401,
    message: "The visitor's identity token is not valid.",
    hint: "The message says what is wrong; your back end signs a new token for the signed-in user with the app's identity secret.",
  },
  anonymous_visitor: {
    status: 403,
    message: "Only an identified visitor can give feedback.",
    hint: "Call pendo.identify (or pendo.initialize with visitor.id) with the signed-in user's id first.",
  },
  integration_keys_disabled: {
    status: 403,
    message: "Integration keys are not enabled for this subscription.",
    hint: "A subscription owner enables them (cairn subscription update --integration-keys on, or Settings → Integrations).",
  },
  conflict: {
    status: 409,
    message: "The request conflicts with the object's current state.",
    hint: "Read the object again and decide from its current state.",
  },
  not_found: {
    status: 404,
    message: "Nothing is served at this address.",
    hint: "Check the method and path against the HTTP section of the README.",
  },
  gone: {
    status: 410,
    message: "The object was deleted.",
    hint: "Deleted objects cannot be read or changed; list the live ones instead.",
  },
  rate_limited: {
    status: 429,
    message: "Too many requests from this client.",
    hint: "Wait for the number of seconds in the Retry-After header, then try again.",
  },
  overloaded: {
    status: 503,
    message: "The server is busy writing and takes no more for a moment.",
    hint: "Retry after the number of seconds in the Retry-After header; nothing of this request was kept.",
  },
  agent_unavailable: {
    status: 503,
    message: "The agent script is not built on this server.",
    hint: "The operator runs `npm run build` (or `npm start`, which builds it) in the Cairn checkout.",
  },
  query_timeout: {
    status: 503,
    message: "The aggregation ran past its time budget and was cancelled.",
    hint: "Ask for a shorter time range, fewer apps, or group earlier in the pipeline; then try again.",
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
