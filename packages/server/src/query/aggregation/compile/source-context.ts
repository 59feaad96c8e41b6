import type { SqlDialect } from "../../../store/events/sql-dialect.js";
import type { Definitions } from "./definitions.js";
import type { CompileState } from "./relation.js";

/** What a pipeline is compiled against: the engine, the caller's subscription and what it has defined. */
export interface PipelineContext {
  readonly dialect: SqlDialect;
  readonly state: CompileState;
  readonly now: number;
  readonly subscriptionId: string;
  readonly appIds: readonly string[];
  /** The app a source reads when it names none (Pendo: the subscription's default app). */
  readonly defaultAppId: string | null;
  readonly definitions: Definitions;
  /** Visitor ids of a segment, or undefined when the subscription has no such segment. */
  readonly segmentVisitors?: (segmentId: string) => readonly string[] | undefined;
  /** The pipeline names `minutesActive`: only then do the event sources carry it (see `namesMinutesActive`). */
  readonly minutesActive?: boolean;
}

/**
 * Whether a pipeline names the `minutesActive` field anywhere (a select, a filter, an aggregator): a plain
 * text search of the request, since the field can appear in any expression of any stage.
 */
export function namesMinutesActive(pipeline: unknown): boolean {
  return JSON.stringify(pipeline).includes("minutesActive");
}
