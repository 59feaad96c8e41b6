import type { SqlValue } from "../../../store/events/sql-dialect.js";
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
