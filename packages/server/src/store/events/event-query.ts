import type { CompiledQuery, SqlDialect } from "./sql-dialect.js";

/** Runs what the query compiler produced for this engine's dialect. Lives as long as the sink it was opened with. */
export interface EventQuery {
  readonly dialect: SqlDialect;
  /** Rejects a query compiled for another engine. */
  run<Row>(compiled: CompiledQuery): Promise<Row[]>;
}

export class QueryEngineMismatchError extends Error {
  constructor(compiledFor: string, engine: string) {
    super(
      `a query compiled for ${compiledFor} cannot run on the ${engine} event store; compile it with this store's dialect`,
    );
    this.name = "QueryEngineMismatchError";
  }
}
