import type { Field } from "../compile/relation.js";
import type { ValueType } from "../compile/value-type.js";

/** An own property even for a name like `__proto__`, which plain assignment would take as the prototype. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function cellValue(value: unknown, type: ValueType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.t) {
    case "any":
    case "object":
      return parseJson(value);
    case "list":
      return Array.isArray(value) ? value.map((item) => cellValue(item, type.of)) : null;
    case "number":
      return typeof value === "bigint" ? Number(value) : value;
    // ClickHouse's comparisons give UInt8: 1 or 0.
    case "boolean":
      return typeof value === "number" ? value !== 0 : value;
    default:
      return value;
  }
}

/**
 * Rows as the engine gives them (a column per dotted field name) in Pendo's shape: `metadata.auto.lastvisit`
 * nested as `{"metadata": {"auto": {"lastvisit": …}}}`, JSON values parsed, every field present, in order.
 */
export function shapeRows(
  rows: readonly Record<string, unknown>[],
  fields: readonly Field[],
): Record<string, unknown>[] {
  const paths = fields.map((f) => ({ field: f, path: f.name.split(".") }));
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const { field, path } of paths) {
      let target = out;
      for (let i = 0; i < path.length - 1; i++) {
        const key = path[i] as string;
        let next = Object.hasOwn(target, key) ? target[key] : undefined;
        if (typeof next !== "object" || next === null || Array.isArray(next)) {
          next = {};
          put(target, key, next);
        }
        target = next as Record<string, unknown>;
      }
      put(target, path[path.length - 1] as string, cellValue(row[field.name], field.type));
    }
    return out;
  });
}
