import type { FastifySerializerCompiler } from "fastify";

/** Called with each answer a route has a response schema for; throws when the answer does not match it. */
export type ResponseCheck = (route: {
  method: string;
  url: string;
  status: string;
  schema: unknown;
}) => (answer: unknown) => void;

let check: ResponseCheck | null = null;

/**
 * Tests check every JSON answer against its route's response schema (`start/test-support/check-responses.ts`, loaded
 * by the test script), so the OpenAPI document stays true to what routes send.
 */
export function checkResponsesWith(responseCheck: ResponseCheck | null): void {
  check = responseCheck;
}

/**
 * Response schemas describe answers, for the OpenAPI document; they do not shape them. Fastify's default,
 * fast-json-stringify, would drop any field a schema leaves out and coerce values to the schema's types, and
 * compile every response schema when the routes are declared, at start; answers are sent as JSON.stringify
 * writes them, as they were before routes had response schemas.
 */
export const describingSerializer: FastifySerializerCompiler<unknown> = (route) => {
  const checkAnswer = check?.({
    method: route.method,
    url: route.url,
    status: route.httpStatus ?? "",
    schema: route.schema,
  });
  if (!checkAnswer) return JSON.stringify;
  return function checkedStringify(answer: unknown): string {
    const text = JSON.stringify(answer);
    checkAnswer(text === undefined ? undefined : JSON.parse(text));
    return text;
  };
};
