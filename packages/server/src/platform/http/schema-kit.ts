import { type TSchema, type TUnsafe, Type } from "@sinclair/typebox";

// TypeBox writes a union of literals as `anyOf: [{const}, …]`, whose validation errors read "must be equal to
// constant"; these keep the plain `enum` keyword, so a refused value is answered "must be equal to one of the
// allowed values", as before the schemas were TypeBox.

/** `{"type": "string", "enum": values}`, typed as the union of the values. */
export function stringEnum<const T extends string>(
  values: readonly T[],
  options: { description?: string } = {},
): TUnsafe<T> {
  return Type.Unsafe<T>({ type: "string", enum: [...values], ...options });
}

/** `{"enum": values}` with no `type`, typed as the union of the values. */
export function anyEnum<const T extends string | number>(values: readonly T[]): TUnsafe<T> {
  return Type.Unsafe<T>({ enum: [...values] });
}

/** A string of at most `maxLength` characters (and at least `minLength`). */
export function text(maxLength: number, minLength = 0) {
  return Type.String({ minLength, maxLength });
}

/** The schema or null. */
export function nullable<T extends TSchema>(schema: T, description?: string) {
  return Type.Union([schema, Type.Null()], description ? { description } : {});
}

/** An ISO 8601 time as the stores write it (`2026-01-31T12:00:00.000Z`). */
export function isoTime(description?: string) {
  return Type.String({ format: "date-time", ...(description ? { description } : {}) });
}

/** A route's answer with no body (204): `reply.code(204).send()`. The document shows no content for `null`. */
export const noContent = Type.Unsafe<undefined>({ type: "null", description: "No content" });

const documentedAs = Symbol("documentedAs");

/**
 * A request part the handler checks itself, with its own messages: validation admits anything (no keyword for
 * Ajv; its `coerceTypes` would turn an object body into an array of it), and the OpenAPI document shows `shape`.
 */
export function checkedByHandler<T extends TSchema>(shape: T, description: string): TUnsafe<unknown> {
  return Object.assign(Type.Unsafe<unknown>({ description }), { [documentedAs]: shape });
}

/** The shape a schema is documented with: the one given to checkedByHandler, or the schema itself. */
export function documentedShape(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null) return schema;
  const shape: unknown = (schema as { [documentedAs]?: unknown })[documentedAs];
  return shape === undefined
    ? schema
    : { ...(shape as object), description: (schema as { description?: string }).description };
}
