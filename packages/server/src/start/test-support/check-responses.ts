/**
 * Loaded before every server test (`--import` in the test script): each JSON answer a route has a response
 * schema for is checked against it, strictly (an object may hold only the properties its schema names), so a
 * field the OpenAPI document leaves out, or describes wrongly, fails the test that received it.
 */
import { Ajv, type ValidateFunction } from "ajv";
import { checkResponsesWith } from "../../platform/http/response-serializer.js";

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

/** A copy where every object schema that lists its properties admits no others. */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (typeof schema !== "object" || schema === null) return schema;
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(schema)) copy[name] = strict(value);
  if ("properties" in copy && !("additionalProperties" in copy) && !("patternProperties" in copy)) {
    copy.additionalProperties = false;
  }
  return copy;
}

checkResponsesWith((route) => {
  let validate: ValidateFunction | undefined;
  return (answer) => {
    validate ??= ajv.compile(strict(JSON.parse(JSON.stringify(route.schema))) as object);
    if (!validate(answer)) {
      const problem = new Error(
        `${route.method} ${route.url} answered ${route.status} outside its response schema: ${ajv.errorsText(validate.errors)}; answer: ${JSON.stringify(answer).slice(0, 500)}`,
      );
      // Also on stderr: the test sees a 500, and most test servers log nothing.
      process.stderr.write(`${problem.message}\n`);
      throw problem;
    }
  };
});
