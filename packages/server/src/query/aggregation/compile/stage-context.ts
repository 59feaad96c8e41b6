import type { StagePlace } from "../pipeline/pipeline-error.js";
import { compileExpression, condition } from "./compile-expression.js";
import type { ExprContext } from "./expression-context.js";
import type { Relation } from "./relation.js";
import type { PipelineContext } from "./source-context.js";

export interface StageInput {
  readonly ctx: PipelineContext;
  readonly place: StagePlace;
  readonly relation: Relation;
}

export const exprContext = (input: StageInput, field: string | null): ExprContext => ({
  dialect: input.ctx.dialect,
  relation: input.relation,
  state: input.ctx.state,
  place: input.place,
  field,
  now: input.ctx.now,
  compile: compileExpression,
  condition,
});

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
