import type { CompiledQuery, SqlDialect } from "./sql-dialect.js";

/** Runs what the query compiler produced for this engine's dialect. Lives as long as the sink it was opened with. */
export interface EventQuery {
  readonly dialect: SqlDialect;
  /** Rejects a query compiled for another engine; past `timeoutMs` the query is cancelled (`QueryTimeoutError`). */
  run<Row>(compiled: CompiledQuery, options?: { readonly timeoutMs?: number }): Promise<Row[]>;
}

export class QueryTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the query ran past its ${timeoutMs} ms budget and was cancelled`);
    this.name = "QueryTimeoutError";
  }
}

export class QueryEngineMismatchError extends Error {
  constructor(compiledFor: string, engine: string) {
    super(
      `a query compiled for ${compiledFor} cannot run on the ${engine} event store; compile it with this store's dialect`,
    );
    this.name = "QueryEngineMismatchError";
  }
}
