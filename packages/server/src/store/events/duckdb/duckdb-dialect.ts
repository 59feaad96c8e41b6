import type { SqlDialect } from "../sql-dialect.js";

export const duckdbDialect: SqlDialect = {
  engine: "duckdb",
  param: (name) => `$${name}`,
  ident: (name) => `"${name.replaceAll('"', '""')}"`,
  epochMs: (column) => `epoch_ms(${column})::DOUBLE`,
};
