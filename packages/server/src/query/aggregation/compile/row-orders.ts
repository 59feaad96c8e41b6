import type { SqlDialect } from "../../../store/events/sql-dialect.js";
import { addCte, type CompileState } from "./relation.js";

/**
 * The orders a group or reduce stage's aggregators take their rows in (`list`, `first`, `concat`, `sequence`…),
 * each as one row number: the dialects' ordered aggregates take a single ascending key (sql-dialect.ts), and
 * an order of several terms, some descending, nulls first, is what both engines' row_number() reads alike.
 */
export interface RowOrders {
  /** The column numbering the rows in `order` (SQL order terms over the stage's input). */
  key(order: string): string;
  /** The stage's input with the numbering columns asked for, or the input itself when none were. */
  input(state: CompileState, cte: string): string;
}

export function rowOrders(d: SqlDialect): RowOrders {
  const orders = new Map<string, string>();
  return {
    key(order) {
      let column = orders.get(order);
      if (!column) {
        column = d.ident(`__row${orders.size}`);
        orders.set(order, column);
      }
      return column;
    },
    input(state, cte) {
      if (orders.size === 0) return cte;
      const numbers = [...orders].map(
        ([order, column]) => `row_number() OVER (ORDER BY ${order}) AS ${column}`,
      );
      return addCte(state, `SELECT *, ${numbers.join(", ")} FROM ${cte}`);
    },
  };
}
