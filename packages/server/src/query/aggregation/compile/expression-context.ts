import type { SqlDialect } from "../../../store/events/sql-dialect.js";
import type { Expr } from "../expression/expression-ast.js";
import type { StagePlace } from "../pipeline/pipeline-error.js";
import type { CompileState, Relation } from "./relation.js";
import type { TypedSql } from "./typed-sql.js";

/** What compiling one expression needs: the engine, the rows it reads, where it is, and the request's now. */
export interface ExprContext {
  readonly dialect: SqlDialect;
  readonly relation: Relation;
  readonly state: CompileState;
  readonly place: StagePlace;
  /** The field or key the expression belongs to, for error messages. */
  readonly field: string | null;
  readonly now: number;
  /** The compiler itself, handed to the function library so the two files do not import each other. */
  readonly compile: (ctx: ExprContext, expr: Expr) => TypedSql;
  readonly condition: (ctx: ExprContext, value: TypedSql, what: string) => string;
}
