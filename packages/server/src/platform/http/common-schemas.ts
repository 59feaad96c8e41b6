import { Type } from "@sinclair/typebox";

/** Any query parameters, none read: Pendo's clients add `limit`, `offset`, `length` and the like. */
export const ignoredQuery = Type.Object(
  {},
  { additionalProperties: true, description: "other parameters (limit, offset…) are accepted and not read" },
);

/** A 204 answer: `reply.code(204).send()`. */
export const noContent = Type.Unsafe<undefined>({ type: "null", description: "No content" });
