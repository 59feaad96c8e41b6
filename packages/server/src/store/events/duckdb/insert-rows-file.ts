import { eventColumns } from "../event-columns.js";

/** How each column is typed in rows text (`eventRowsNdjson`), and turned into the column's value. */
const rowTypes: Record<string, { json: string; value: (field: string) => string }> = {
  occurred_at: { json: "DOUBLE", value: (f) => `make_timestamp((trunc(${f}) * 1000)::BIGINT)` },
  received_at: { json: "DOUBLE", value: (f) => `make_timestamp((trunc(${f}) * 1000)::BIGINT)` },
  is_bot: { json: "BOOLEAN", value: (f) => f },
  excluded: { json: "BOOLEAN", value: (f) => f },
  unsigned_identity: { json: "BOOLEAN", value: (f) => f },
  // Read as VARCHAR, the embedded object comes back as its JSON text, without a JSON value in between.
  properties: { json: "VARCHAR", value: (f) => f },
};

/**
 * The rows of a newline-delimited rows file (`eventRowsNdjson`) as `events` rows, in its column order: what a
 * load inserts. DuckDB reads and parses the file on its own threads, in parallel: several times faster than from_json on one bound string (which also copied the
 * whole text on the event loop), and no native call per cell as with the appender.
 */
export function selectFromRowsFile(file: string): string {
  const columns = Object.fromEntries(eventColumns.map((c) => [c.name, rowTypes[c.name]?.json ?? "VARCHAR"]));
  const values = eventColumns.map(
    (c) => `${(rowTypes[c.name]?.value ?? ((f: string) => f))(`"${c.name}"`)} AS "${c.name}"`,
  );
  const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
  const columnsSql = `{${Object.entries(columns)
    .map(([name, type]) => `${literal(name)}: ${literal(type)}`)
    .join(", ")}}`;
  return `SELECT ${values.join(", ")}
    FROM read_json(${literal(file)}, format = 'newline_delimited', columns = ${columnsSql})`;
}
