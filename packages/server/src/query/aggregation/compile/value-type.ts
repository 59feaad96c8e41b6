/**
 * The types the checker gives every field and expression. `any` is a value of unknown type (a metadata
 * field, a JSON property), `object` a JSON object whose fields are reached with dots.
 */
export type ValueType =
  | { readonly t: "number" | "string" | "boolean" | "null" | "any" | "object" }
  | { readonly t: "list"; readonly of: ValueType };

export const types = {
  number: { t: "number" },
  string: { t: "string" },
  boolean: { t: "boolean" },
  null: { t: "null" },
  any: { t: "any" },
  object: { t: "object" },
} as const satisfies Record<string, ValueType>;

export const listOf = (of: ValueType): ValueType => ({ t: "list", of });

/** Held as JSON by the engine (a JSON column in DuckDB): read with the JSON functions. */
export const isJson = (type: ValueType): boolean => type.t === "any" || type.t === "object";

export function typeName(type: ValueType): string {
  return type.t === "list" ? `list of ${typeName(type.of)}` : type.t === "any" ? "value of any type" : type.t;
}

/** A value of `from` may stand where `to` is wanted (a JSON value is converted when read). */
export function fits(from: ValueType, to: ValueType): boolean {
  if (from.t === "null" || from.t === "any" || to.t === "any") return true;
  if (to.t === "list") return from.t === "list";
  if (from.t === "object") return to.t === "object";
  return from.t === to.t;
}
