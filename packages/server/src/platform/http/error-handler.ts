import type { FastifyError, FastifyInstance } from "fastify";
import { CairnError, renderError } from "../errors/cairn-error.js";
import { redactUrl } from "../log/redact-url.js";

/** Fastify's own errors that are the client's fault, mapped to catalogue codes. */
function fromFastifyError(error: FastifyError): CairnError | null {
  if (error.validation) {
    const extra = error.validation.find((v) => v.keyword === "additionalProperties")?.params
      .additionalProperty;
    const message = extra
      ? `Unknown field "${String(extra)}": ${error.message}.`
      : `Invalid request: ${error.message}.`;
    return new CairnError("bad_request", { message });
  }
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new CairnError("payload_too_large");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new CairnError("unsupported_media_type");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new CairnError("bad_request", { message: "The request body is not valid JSON." });
  }
  // Other 4xx errors from Fastify or its parsers: the client's fault, but their text may echo input.
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new CairnError("bad_request");
  }
  return null;
}

/**
 * One error renderer for the whole app: every failure leaves as `{"error":{code,message,hint,requestId}}`,
 * and an unexpected exception is logged in full but answered with the catalogue's generic text only.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = error instanceof CairnError ? error : fromFastifyError(error);
    if (known) {
      if (known.status >= 500) request.log.error({ err: error }, known.message);
      return reply.code(known.status).headers(known.headers).send(renderError(known, request.id));
    }
    request.log.error({ err: error }, "unhandled error");
    return reply.code(500).send(renderError(new CairnError("internal"), request.id));
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new CairnError("not_found", {
      message: `Nothing is served at ${request.method} ${redactUrl(request.url.split("?")[0] ?? "")}.`,
    });
    return reply.code(404).send(renderError(error, request.id));
  });
}
