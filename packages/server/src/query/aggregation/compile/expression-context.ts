import type { SqlDialect } from "../../../store/events/sql-dialect.js";
import type { StagePlace } from "../pipeline/pipeline-error.js";
import type { CompileState, Relation } from "./relation.js";

/** What compiling one expression needs: the engine, the rows it reads, where it is, and the request's now. */
export interface ExprContext {
  readonly dialect: SqlDialect;
  readonly relation: Relation;
  readonly state: CompileState;
  readonly place: StagePlace;
  /** The field or key the expression belongs to, for error messages. */
  readonly field: string | null;
  readonly now: number;
}
