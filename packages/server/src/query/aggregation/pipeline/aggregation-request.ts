import { PipelineError } from "./pipeline-error.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const envelopeError = (problem: string): PipelineError => new PipelineError("request", null, null, problem);

/**
 * The pipeline of an aggregation request, in Pendo's `{"response": …, "request": {"pipeline": […]}}` form or
 * the UI's `{"requests": [{"pipeline": […], "params": …}]}`. What clients add around it (`name`,
 * `requestId`, `request.sort`, `channelId`, `streamId`, `params`, `response: {}`) is accepted and ignored.
 */
export function pipelineOf(body: unknown): { pipeline: unknown[]; requestId: string | null } {
  if (Array.isArray(body))
    throw envelopeError(
      'a bare list of stages is not a request: send {"response": {"mimeType": "application/json"}, "request": {"pipeline": [...]}}',
    );
  if (!isRecord(body))
    throw envelopeError(
      'the body must be a JSON object: {"response": {"mimeType": "application/json"}, "request": {"pipeline": [...]}}',
    );
  const response = body.response;
  if (response !== undefined && response !== null) {
    if (!isRecord(response))
      throw envelopeError('"response" must be an object such as {"mimeType": "application/json"}');
    const mimeType = response.mimeType;
    if (mimeType !== undefined && mimeType !== null && mimeType !== "application/json")
      throw envelopeError(`answers come as application/json only, not ${JSON.stringify(mimeType)}`);
  }
  let request: unknown = body.request;
  if (request === undefined && body.requests !== undefined) {
    if (!Array.isArray(body.requests) || body.requests.length !== 1)
      throw envelopeError('"requests" must hold exactly one request; send one call per request');
    request = body.requests[0];
  }
  if (request === undefined) {
    if ("pipeline" in body || "source" in body)
      throw envelopeError('put the pipeline inside "request": {"request": {"pipeline": [...]}}');
    throw envelopeError('the body needs "request": {"pipeline": [...]}');
  }
  if (!isRecord(request)) throw envelopeError('"request" must be an object with a "pipeline"');
  if (!Array.isArray(request.pipeline))
    throw new PipelineError(
      "request",
      null,
      "pipeline",
      "is required: a list of stages starting with a source",
    );
  const requestId = typeof request.requestId === "string" ? request.requestId : null;
  return { pipeline: request.pipeline, requestId };
}
