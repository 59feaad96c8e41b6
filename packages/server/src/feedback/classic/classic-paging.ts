import { Type } from "@sinclair/typebox";
import { feedbackLimits as limits } from "../ideas/feedback-limits.js";

/** `limit` on the classic paths: Pendo's clients ask for up to 1,000 at a time. */
export const classicLimit = Type.Optional(Type.Integer({ minimum: 0, maximum: limits.classicMaxPageSize }));

/** `start`, the offset of the first answer. */
export const classicStart = Type.Optional(Type.Integer({ minimum: 0 }));

/**
 * An id a request names in a body: the number (Pendo's ids; the Swagger types some as strings, so digits in a
 * string too) or Cairn's own id. A list of types, not a union, so Fastify's Ajv coerces neither into the other.
 */
export const classicIdRef = Type.Unsafe<string | number>({
  type: ["integer", "string"],
  minimum: 1,
  minLength: 1,
  maxLength: 100,
});
