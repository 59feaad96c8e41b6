import { type TUnsafe, Type } from "@sinclair/typebox";

// TypeBox writes a union of literals as `anyOf: [{const}, …]`, whose validation errors read "must be equal to
// constant"; these keep the plain `enum` keyword, so a refused value is answered "must be equal to one of the
// allowed values", as before the schemas were TypeBox.

/** `{"type": "string", "enum": values}`, typed as the union of the values. */
export function stringEnum<const T extends string>(values: readonly T[]): TUnsafe<T> {
  return Type.Unsafe<T>({ type: "string", enum: [...values] });
}

/** `{"enum": values}` with no `type`, typed as the union of the values. */
export function anyEnum<const T extends string | number>(values: readonly T[]): TUnsafe<T> {
  return Type.Unsafe<T>({ enum: [...values] });
}

/** A string of at most `maxLength` characters (and at least `minLength`). */
export function text(maxLength: number, minLength = 0) {
  return Type.String({ minLength, maxLength });
}
