import type { SqlDialect, SqlType } from "../../../store/events/sql-dialect.js";
import { types, type ValueType } from "./value-type.js";

/** An expression compiled to SQL, with its type. */
export interface TypedSql {
  readonly sql: string;
  readonly type: ValueType;
}

export const nullSql: TypedSql = { sql: "NULL", type: types.null };

/** The value as a double (JSON numbers and numeric strings read as numbers); undefined when it cannot be one. */
export function asNumber(d: SqlDialect, value: TypedSql): string | undefined {
  switch (value.type.t) {
    case "number":
      return value.sql;
    case "null":
      return d.nullOf("number");
    case "any":
      return d.jsonNumber(value.sql);
    default:
      return undefined;
  }
}

/** The value as text: numbers as JavaScript writes them, booleans as true/false. */
export function asText(d: SqlDialect, value: TypedSql): string | undefined {
  switch (value.type.t) {
    case "string":
      return value.sql;
    case "null":
      return d.nullOf("string");
    case "any":
      return d.jsonText(value.sql);
    case "number":
      return d.numberText(value.sql);
    case "boolean":
      return `(CASE WHEN ${value.sql} THEN 'true' WHEN NOT ${value.sql} THEN 'false' END)`;
    default:
      return undefined;
  }
}

export function asBoolean(d: SqlDialect, value: TypedSql): string | undefined {
  switch (value.type.t) {
    case "boolean":
      return value.sql;
    case "null":
      return d.nullOf("boolean");
    case "any":
      return d.jsonBoolean(value.sql);
    default:
      return undefined;
  }
}

/** How the engine holds a value of a type (JSON for values of any type, objects, and nulls). */
export function sqlTypeOf(type: ValueType): SqlType {
  if (type.t === "list") return { listOf: sqlTypeOf(type.of) };
  if (type.t === "number" || type.t === "string" || type.t === "boolean") return type.t;
  return "json";
}

/** The value as JSON, to mix values of different types in one column. */
export function asJson(d: SqlDialect, value: TypedSql): string {
  switch (value.type.t) {
    case "any":
    case "object":
      return value.sql;
    case "null":
      return d.nullOf("json");
    default:
      return d.toJson(value.sql, sqlTypeOf(value.type));
  }
}
