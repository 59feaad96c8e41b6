import { textTable } from "../../../platform/cli/text-table.js";

function flatten(value: unknown, prefix: string, into: Map<string, unknown>): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix) into.set(prefix, value);
    for (const [key, inner] of entries) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
  } else into.set(prefix, value);
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value.replaceAll(/\s+/g, " ");
  return JSON.stringify(value);
}

/** Aggregation rows as a text table: one column per (dotted) field, in the order the rows give them. */
export function resultTable(rows: readonly Record<string, unknown>[]): string {
  const flat = rows.map((row) => {
    const fields = new Map<string, unknown>();
    flatten(row, "", fields);
    return fields;
  });
  const columns: string[] = [];
  for (const fields of flat)
    for (const name of fields.keys()) if (!columns.includes(name)) columns.push(name);
  return textTable(
    columns,
    flat.map((fields) => columns.map((c) => cell(fields.get(c)))),
  );
}
