// Failures of the environment (configuration, another process), reported as one line with exit code 2.

/** A server engine that this version does not ship yet; start-up reports it like a configuration error. */
export class EngineNotAvailableError extends Error {
  constructor(
    readonly setting: string,
    engine: string,
  ) {
    super(
      `${engine} is not available in this version of Cairn yet; use the embedded default or leave ${setting} unset`,
    );
    this.name = "EngineNotAvailableError";
  }
}

/** Another process holds the embedded event store's file (DuckDB allows one writer process). */
export class EventStoreLockedError extends Error {
  constructor(file: string, detail: string) {
    super(
      `the event store ${file} is open in another process (${detail}); is \`cairn start\` running on this data folder?`,
    );
    this.name = "EventStoreLockedError";
  }
}
