import type { SqlDialect, SqlValue } from "../../../store/events/sql-dialect.js";
import type { ValueType } from "./value-type.js";

/** One field of the rows a stage produces: its dotted name (also its column's name) and its type. */
export interface Field {
  readonly name: string;
  readonly type: ValueType;
}

/** What an aggregator of a group or reduce stage compiles to: its SQL and the field it makes. */
export interface AggregateColumn {
  readonly sql: string;
  readonly field: Field;
}

export interface OrderTerm {
  readonly field: string;
  readonly descending: boolean;
}

/**
 * The rows after a stage: the common table expression that holds them, their fields in output order, and
 * the order the rows are in (kept as terms, since SQL keeps no order between expressions).
 */
export interface Relation {
  readonly cte: string;
  readonly fields: readonly Field[];
  readonly order: readonly OrderTerm[];
}

/** What compiling a pipeline accumulates: the statements and the bound parameters. */
export interface CompileState {
  readonly ctes: { name: string; sql: string }[];
  readonly params: Record<string, SqlValue>;
  nextId: number;
}

export function addCte(state: CompileState, sql: string): string {
  const name = `s${state.nextId++}`;
  state.ctes.push({ name, sql });
  return name;
}

export function bind(state: CompileState, value: SqlValue): string {
  const name = `p${state.nextId++}`;
  state.params[name] = value;
  return name;
}

export const fieldOf = (relation: Relation, name: string): Field | undefined =>
  relation.fields.find((f) => f.name === name);

/**
 * `SELECT <sql> AS <name>, … FROM <from><rest>`, with each value computed under a placeholder name and renamed
 * outside: ClickHouse lets a SELECT's alias stand for its expression anywhere in that SELECT, so in
 * `SELECT b AS a, a AS b` the second `a` would be the first column, not the input's `a`.
 */
export function selectNamed(
  d: SqlDialect,
  columns: readonly { readonly name: string; readonly sql: string }[],
  from: string,
  rest = "",
): string {
  const inner = columns.map((c, i) => `${c.sql} AS ${d.ident(`__v${i}`)}`);
  const outer = columns.map((c, i) => `${d.ident(`__v${i}`)} AS ${d.ident(c.name)}`);
  return `SELECT ${outer.join(", ")} FROM (SELECT ${inner.join(", ")} FROM ${from}${rest})`;
}
