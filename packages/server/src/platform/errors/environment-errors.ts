// Failures of the environment (configuration, another process), reported as one line with exit code 2.

/** The events URL names a ClickHouse server that does not answer. */
export class EventStoreUnreachableError extends Error {
  constructor(where: string, cause: unknown) {
    super(
      `cannot reach the ClickHouse server at ${where} (${cause instanceof Error ? cause.message : String(cause)}); is it running, and is CAIRN_EVENTS_URL right?`,
      { cause },
    );
    this.name = "EventStoreUnreachableError";
  }
}

/** The ClickHouse server answered, but refused Cairn (a wrong user or password, no right to the database). */
export class EventStoreRefusedError extends Error {
  constructor(where: string, cause: Error) {
    super(
      `the ClickHouse server at ${where} refused Cairn: ${cause.message.trim()}; check the user, password and database in CAIRN_EVENTS_URL`,
      { cause },
    );
    this.name = "EventStoreRefusedError";
  }
}

/** The ClickHouse server is older than the store's SQL needs. */
export class ClickhouseTooOldError extends Error {
  constructor(
    readonly version: string,
    where: string,
    oldestSupported: string,
  ) {
    super(
      `the ClickHouse server at ${where} runs ${version}; Cairn needs ClickHouse ${oldestSupported} or newer (tested on 26.7)`,
    );
    this.name = "ClickhouseTooOldError";
  }
}

/** `CAIRN_EVENTS_URL=chdb:…` without the chdb package installed. */
export class ChdbNotInstalledError extends Error {
  constructor(cause: unknown) {
    super(
      "CAIRN_EVENTS_URL=chdb:… runs ClickHouse in this process from the chdb package, which is not installed (it is ~550 MB, so `npm ci` leaves it out): run `npm run install:chdb`, or point CAIRN_EVENTS_URL at a ClickHouse server (clickhouse://user:password@host:8123/database)",
      { cause },
    );
    this.name = "ChdbNotInstalledError";
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
