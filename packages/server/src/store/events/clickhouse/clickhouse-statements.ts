import type { Readable } from "node:stream";
import type { ClickHouseClient, ClickHouseSettings } from "@clickhouse/client";

/** Runs a statement that returns nothing useful, reading its answer to the end so the connection is freed. */
export async function execute(
  client: ClickHouseClient,
  query: string,
  options: {
    params?: Record<string, unknown>;
    values?: Readable;
    settings?: ClickHouseSettings;
  } = {},
): Promise<void> {
  const result = await client.exec({
    query,
    query_params: options.params,
    clickhouse_settings: options.settings,
    ...(options.values ? { values: options.values } : {}),
  });
  for await (const _ of result.stream) {
    // drained
  }
}

export async function selectRows<Row>(
  client: ClickHouseClient,
  query: string,
  params: Record<string, unknown> = {},
  settings: ClickHouseSettings = {},
  signal?: AbortSignal,
): Promise<Row[]> {
  const result = await client.query({
    query,
    query_params: params,
    format: "JSONEachRow",
    clickhouse_settings: settings,
    abort_signal: signal,
  });
  return result.json<Row>();
}
