import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { type ClickHouseClient, ClickHouseLogLevel, createClient } from "@clickhouse/client";
import {
  type OldClickhouseServer,
  oldServerPassword,
  startOldClickhouseServer,
} from "../../../start/test-support/old-clickhouse-server.js";
import { runCli } from "../../../start/test-support/run-cli.js";
import { tempDir } from "../../../start/test-support/temp-dir.js";
import { connectClickhouse, oldestSupportedClickhouse } from "./clickhouse-connection.js";
import { execute, selectRows } from "./clickhouse-statements.js";

/**
 * The HTTP path against a real ClickHouse server: Debian's 18.16, the only one installable here. The store
 * needs a current server and must refuse this one clearly; the statement layer under it (raw row inserts,
 * reads, errors, a server restart) works the same on any server, so it is exercised here over real HTTP.
 */
describe("ClickHouse over HTTP (Debian's clickhouse-server 18.16)", () => {
  let server: OldClickhouseServer;
  let client: ClickHouseClient;
  before(async () => {
    server = await startOldClickhouseServer();
    client = createClient({
      url: `http://127.0.0.1:${server.port}`,
      password: oldServerPassword,
      log: { level: ClickHouseLogLevel.OFF },
    });
  });
  after(async () => {
    await client?.close();
    await server?.stop();
  });

  test("the store refuses a server older than it supports, naming both versions", async () => {
    await assert.rejects(connectClickhouse(server.url("cairn")), {
      name: "ClickhouseTooOldError",
      message: new RegExp(
        `^the ClickHouse server at clickhouse://default:\\*\\*\\*@127\\.0\\.0\\.1:${server.port}/cairn runs 18\\.16\\.[\\d.]+; Cairn needs ClickHouse ${oldestSupportedClickhouse.replace(".", "\\.")} or newer`,
      ),
    });
  });

  test("cairn doctor names the server's version as a problem; cairn start refuses it with one line, exit 2", async () => {
    const cwd = tempDir("old-clickhouse");
    const env = { CAIRN_EVENTS_URL: server.url("cairn") };
    const doctor = await runCli(["doctor", "--port", "1"], { cwd, env });
    assert.equal(doctor.code, 1, doctor.stdout);
    assert.match(
      doctor.stdout,
      /PROBLEM +event store \(clickhouse:\/\/default:\*\*\*@127\.0\.0\.1:\d+\/cairn\): cannot be opened: .* runs 18\.16\.[\d.]+; Cairn needs ClickHouse 24\.8 or newer/,
    );
    assert.doesNotMatch(doctor.stdout, new RegExp(oldServerPassword));
    const start = await runCli(["start", "--port", "0"], { cwd, env });
    assert.equal(start.code, 2);
    assert.match(
      start.stderr,
      /^cairn: the ClickHouse server at \S+ runs 18\.16\.[\d.]+; Cairn needs ClickHouse 24\.8 or newer \(tested on 26\.7\)\n$/,
    );
  });

  test("a wrong password is reported as refused, with the server's words and no password", async () => {
    const url = server.url("cairn").replace(oldServerPassword, "not-the-password");
    const refused = await connectClickhouse(url).then(
      () => null,
      (error: Error) => error,
    );
    assert.equal(refused?.name, "EventStoreRefusedError");
    assert.match(refused?.message ?? "", /refused Cairn: .*Wrong password for user default/);
    assert.doesNotMatch(refused?.message ?? "", /not-the-password/);
  });

  test("rows sent as raw JSONEachRow bytes in pieces read back whole; a bad statement says what the server said", async () => {
    await execute(
      client,
      "CREATE TABLE IF NOT EXISTS rows_in (id String, n Float64) ENGINE = MergeTree ORDER BY id",
    );
    const pieces = [Buffer.from('{"id":"a","n":1}\n{"id":"b",'), Buffer.from('"n":2.5}\n')];
    await execute(client, "INSERT INTO rows_in FORMAT JSONEachRow", {
      values: Readable.from(pieces, { objectMode: false }),
    });
    assert.deepEqual(await selectRows(client, "SELECT id, n FROM rows_in ORDER BY id"), [
      { id: "a", n: 1 },
      { id: "b", n: 2.5 },
    ]);
    await assert.rejects(selectRows(client, "SELECT nope FROM rows_in"), /Unknown identifier: nope/);
  });

  test("while the server is down a statement fails as unreachable; once it is back the same client works", async () => {
    await server.stop();
    await assert.rejects(selectRows(client, "SELECT 1 AS one"), { code: "ECONNREFUSED" });
    await assert.rejects(connectClickhouse(server.url("cairn")), {
      name: "EventStoreUnreachableError",
      message:
        /cannot reach the ClickHouse server .* \(connect ECONNREFUSED 127\.0\.0\.1:\d+\); is it running/,
    });
    await server.start();
    assert.deepEqual(await selectRows(client, "SELECT 1 AS one"), [{ one: 1 }]);
    assert.deepEqual(await selectRows(client, "SELECT count() AS n FROM rows_in"), [{ n: "2" }]);
  });
});
