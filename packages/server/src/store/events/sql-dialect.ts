export type EventEngine = "duckdb" | "clickhouse";

export type SqlValue = string | number | boolean | null;

/** How one engine spells what compiled queries need; the compiler writes SQL only through it. */
export interface SqlDialect {
  readonly engine: EventEngine;
  /** The placeholder for the named parameter `name` (DuckDB `$name`, ClickHouse `{name:Type}`). */
  param(name: string): string;
  /** A quoted identifier. */
  ident(name: string): string;
  /** A TIMESTAMP column as epoch milliseconds (a number). */
  epochMs(column: string): string;
}

/** One statement compiled for one engine, with its parameters bound by name. */
export interface CompiledQuery {
  readonly engine: EventEngine;
  readonly sql: string;
  readonly params: Readonly<Record<string, SqlValue>>;
}
