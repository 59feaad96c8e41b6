export type EventEngine = "duckdb" | "clickhouse";

export type SqlValue = string | number | boolean | null;

export type TimeUnit = "hour" | "day" | "week" | "month" | "quarter" | "year";

/** What kind of value an expression holds, where an engine needs it to write the value as JSON. */
export type SqlType = "number" | "string" | "boolean" | "json" | { readonly listOf: SqlType };

/** The mirror of the profile store (profile-mirror.ts): `visitor_profiles` or `account_profiles`. */
export type ProfileTable = "visitor_profiles" | "account_profiles";

/**
 * How one engine spells what compiled queries need; the compilers (event reads, the aggregation language)
 * write SQL only through it, so nothing of one engine leaks into them. Arguments and results are SQL text.
 * Numbers are doubles, times are epoch milliseconds (doubles), JSON values are the engine's JSON text.
 * ClickHouse's conditions are 0 or 1 (UInt8), read as booleans by type; its lists cannot be null, so a null
 * list is an empty one there.
 */
export interface SqlDialect {
  readonly engine: EventEngine;
  /** The placeholder for the named parameter `name` (DuckDB `$name`, ClickHouse `{name:Type}`). */
  param(name: string, type?: "string" | "number" | "boolean"): string;
  /** A quoted identifier. */
  ident(name: string): string;
  /** A TIMESTAMP column as epoch milliseconds (a number). */
  epochMs(column: string): string;
  /** Epoch milliseconds (a number) as the engine's TIMESTAMP, to compare with a TIMESTAMP column. */
  timestampOf(ms: string): string;
  /** A SQL number literal (finite). */
  number(value: number): string;
  /** A typed NULL; of a list type, an empty list in ClickHouse, whose lists cannot be null. */
  nullOf(type: SqlType): string;

  /** The JSON value at `path` inside a JSON value (null when absent). */
  jsonGet(json: string, path: readonly (string | number)[]): string;
  /**
   * A JSON scalar as text (a string without its quotes), null when absent or not a scalar. A number is its
   * JSON text: DuckDB writes it anew (`1.50` as `1.5`), ClickHouse keeps it; alike for JSON JavaScript wrote.
   */
  jsonText(json: string): string;
  /** A JSON number (or numeric string) as a double, null otherwise. */
  jsonNumber(json: string): string;
  /** A JSON boolean, null otherwise. */
  jsonBoolean(json: string): string;
  /** Parses JSON text; null when it is not valid JSON. */
  parseJson(text: string): string;
  /** A JSON value written out as JSON text. */
  jsonSerialize(json: string): string;
  /** A value of `type` as JSON (null stays null). */
  toJson(value: string, type: SqlType): string;
  /** A JSON value's kind: 'string' | 'number' | 'boolean' | 'null' | 'list' | 'object' ('null' for SQL NULL too). */
  jsonKind(json: string): string;
  /**
   * A join clause giving one row per key of a JSON object (`json`, an expression over the row before it) as
   * `kv.__key` (text) and `kv.__value` (JSON); a value that is not an object (a list, a scalar, null) gives none.
   */
  jsonEntries(json: string): string;

  /**
   * A double as text the way JavaScript writes it (3, not 3.0). Whole numbers from 1e15 on and numbers under
   * 1e-6 are written each engine's way (DuckDB `1e+17`, `1e-07`; ClickHouse `100000000000000000`, `1e-7`).
   */
  numberText(value: string): string;
  /** A double rounded to a whole number, halves away from zero. */
  round(value: string): string;
  /** Hex MD5 of a string. */
  md5(text: string): string;
  regexMatches(text: string, pattern: string): string;
  /** The first capture group of a match, null when there is none. */
  regexExtract(text: string, pattern: string): string;
  startsWith(text: string, prefix: string): string;
  containsText(text: string, part: string): string;
  lower(text: string): string;
  upper(text: string): string;
  textLength(text: string): string;
  concat(parts: readonly string[]): string;

  listOf(items: readonly string[]): string;
  listLength(list: string): string;
  /** The item at a 0-based index, null past the end. */
  listItem(list: string, index: string): string;
  listContains(list: string, item: string): string;
  split(text: string, separator: string): string;

  /** The start of the period holding an epoch-ms time (UTC), as epoch ms. */
  truncateTime(ms: string, unit: TimeUnit): string;
  /** An epoch-ms time moved by a whole number of months (calendar-aware), as epoch ms. */
  addMonths(ms: string, months: string): string;

  countDistinct(value: string): string;
  /** Distinct tuples of values. */
  countDistinctTuple(values: readonly string[]): string;
  median(value: string): string;
  percentile(value: string, fraction: number): string;
  stddev(value: string): string;
  variance(value: string): string;
  /**
   * The values of a group as a list (nulls left out; an empty list from no rows), in the order of `order`: one
   * column or expression the group's rows ascend by, different in each row (the compiler numbers the rows
   * with row_number() for an order of several terms). The same holds for every `order` below.
   */
  listAgg(value: string, order: string): string;
  /** The value of the first row of a group in `order` (null when that row's value is null). */
  firstValue(value: string, order: string): string;
  /** The value of `value` at the row where `by` is greatest (ties broken by the engine). */
  valueAtMax(value: string, by: string): string;
  /** The bitwise or of a group's integers (an aggregate). */
  bitOrAgg(value: string): string;
  /** How many bits of an integer are set, as a double. */
  bitCount(value: string): string;
  /** Counts rows where a condition holds. */
  countIf(condition: string): string;
  /**
   * The items of a group's lists, one list after another in `order`, items kept in their lists' order (a
   * null list adds nothing), as one list; an empty list from no rows.
   */
  concatAgg(list: string, order: string): string;
  /** A list's distinct items in ascending order, nulls left out. */
  sortedSet(list: string): string;
  /** Each number of a list rounded down to a multiple of `step` (a positive number), nulls kept. */
  floorItems(list: string, step: number): string;
  /** The average of a list's numbers, nulls left out; null when there are none. */
  listAverage(list: string): string;
  /**
   * The minutes set in a 60-bit minute mask (bit i is minute i of the hour starting at epoch ms `hourMs`), as
   * a list of their epoch-ms starts (doubles), ascending.
   */
  maskMinutes(mask: string, hourMs: string): string;
  /** A JSON object from pairs of a key (SQL text) and a JSON value, in the order given. */
  jsonObject(entries: readonly (readonly [key: string, json: string])[]): string;
  /**
   * An aggregate: the group's `item`s in `order`, cut into runs of consecutive rows, as a list of lists. A
   * run starts at the first row and at every row where `startsRun` is true (null counts as false); an empty
   * list from no rows.
   */
  runsAgg(item: string, startsRun: string, order: string): string;
  /**
   * A join clause (after `FROM <relation> <alias>`) giving one row per item of `list` (a column of the row
   * before it), and the expressions that read the item and its 0-based position (a double) in the rows it
   * gives; with `keepEmpty` a row whose list is empty or null stays once, with nulls.
   */
  unnestJoin(list: string, keepEmpty: boolean): { join: string; item: string; index: string };
  /**
   * A profile mirror table under `alias`, for a FROM clause: one row per visitor (account), as of its newest
   * copy, removed ones left out (ClickHouse keeps replaced rows until a merge: `FINAL`).
   */
  profileTable(table: ProfileTable, alias: string): string;
}

/** One statement compiled for one engine, with its parameters bound by name. */
export interface CompiledQuery {
  readonly engine: EventEngine;
  readonly sql: string;
  readonly params: Readonly<Record<string, SqlValue>>;
}
