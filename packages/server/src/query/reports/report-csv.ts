/** A cell as CSV writes it (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text =
    typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A row's leaves under their dotted names (`metadata.auto.lastvisit`); a list is one leaf, written as JSON; an
 * empty object has none.
 */
function flatten(
  row: Record<string, unknown>,
  prefix = "",
  into = new Map<string, unknown>(),
): Map<string, unknown> {
  for (const [key, value] of Object.entries(row)) {
    const name = prefix === "" ? key : `${prefix}.${key}`;
    if (isPlainObject(value)) flatten(value, name, into);
    else into.set(name, value);
  }
  return into;
}

/**
 * Rows as CSV: a header of dotted field names in the order they first appear, then a line per row (CRLF, as
 * RFC 4180 writes it); a field a row lacks is empty. No rows: no lines.
 */
export function rowsAsCsv(rows: readonly Record<string, unknown>[]): string {
  const flat = rows.map((row) => flatten(row));
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of flat) {
    for (const name of row.keys()) {
      if (!seen.has(name)) {
        seen.add(name);
        columns.push(name);
      }
    }
  }
  if (columns.length === 0) return "";
  const lines = [columns.map(cell).join(",")];
  for (const row of flat) lines.push(columns.map((name) => cell(row.get(name))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
