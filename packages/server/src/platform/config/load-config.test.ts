import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError } from "./config-error.js";
import { loadConfig } from "./load-config.js";

const cwd = "/srv/cairn";

describe("loadConfig", () => {
  test("defaults run embedded storage in ./data on 127.0.0.1:8080", () => {
    const config = loadConfig({}, {}, cwd);
    assert.equal(config.port, 8080);
    assert.equal(config.host, "127.0.0.1");
    assert.equal(config.dataDir, "/srv/cairn/data");
    assert.deepEqual(config.metadata, { engine: "sqlite", file: "/srv/cairn/data/metadata.sqlite" });
    assert.deepEqual(config.events, { engine: "duckdb", file: "/srv/cairn/data/events.duckdb" });
    assert.equal(config.publicUrl, "http://127.0.0.1:8080");
    assert.equal(config.sources.port, "default");
  });

  test("flags win over CAIRN_* variables, which win over defaults", () => {
    const config = loadConfig(
      { port: "9001" },
      {
        CAIRN_PORT: "9000",
        CAIRN_HOST: "0.0.0.0",
        CAIRN_DATA_DIR: "/var/lib/cairn",
        CAIRN_PUBLIC_URL: "https://c.example.com/",
      },
      cwd,
    );
    assert.equal(config.port, 9001);
    assert.equal(config.sources.port, "flag");
    assert.equal(config.host, "0.0.0.0");
    assert.equal(config.sources.host, "env");
    assert.equal(
      config.metadata.engine === "sqlite" && config.metadata.file,
      "/var/lib/cairn/metadata.sqlite",
    );
    assert.equal(config.publicUrl, "https://c.example.com", "trailing slash removed");
  });

  test("the default public URL of a wildcard host is one a browser can open", () => {
    assert.equal(loadConfig({ host: "0.0.0.0", port: "81" }, {}, cwd).publicUrl, "http://127.0.0.1:81");
  });

  test("store URLs accept relative and absolute file forms", () => {
    const config = loadConfig(
      { metadataUrl: "sqlite:./meta.db", eventsUrl: "duckdb:///tmp/ev.duckdb" },
      {},
      cwd,
    );
    assert.deepEqual(config.metadata, { engine: "sqlite", file: "/srv/cairn/meta.db" });
    assert.deepEqual(config.events, { engine: "duckdb", file: "/tmp/ev.duckdb" });
  });

  test("ClickHouse: a server URL is kept as given; chdb's folder is resolved, its database kept", () => {
    const server = "clickhouse://cairn:secret@ch.internal:8123/cairn";
    assert.deepEqual(loadConfig({ eventsUrl: server }, {}, cwd).events, {
      engine: "clickhouse",
      url: server,
    });
    assert.deepEqual(loadConfig({ eventsUrl: "chdb:./ch?database=events" }, {}, cwd).events, {
      engine: "clickhouse",
      url: "chdb:/srv/cairn/ch?database=events",
    });
  });

  test("webhooks go to public https receivers unless the operator names exceptions", () => {
    assert.deepEqual(loadConfig({}, {}, cwd).webhooks, { allow: [], allowHttp: false });
    const config = loadConfig(
      {},
      {
        CAIRN_WEBHOOK_ALLOW: " Hooks.Corp.Example., 10.1.0.0/16,[fd00::1] ,,",
        CAIRN_WEBHOOK_ALLOW_HTTP: "true",
      },
      cwd,
    );
    assert.deepEqual(config.webhooks, {
      allow: ["hooks.corp.example", "10.1.0.0/16", "fd00::1"],
      allowHttp: true,
    });
    assert.equal(config.sources.webhookAllow, "env");
  });

  test("the prepare time limit: 5 seconds unless set", () => {
    assert.equal(loadConfig({}, {}, cwd).prepareTimeoutMs, 5_000);
    const config = loadConfig({}, { CAIRN_PREPARE_TIMEOUT_MS: "750" }, cwd);
    assert.equal(config.prepareTimeoutMs, 750);
    assert.equal(config.sources.prepareTimeoutMs, "env");
  });

  test("acknowledgement: once logged unless set to stored; anything else is refused naming both", () => {
    assert.equal(loadConfig({}, {}, cwd).acknowledge, "logged");
    assert.equal(loadConfig({ acknowledge: "stored" }, {}, cwd).acknowledge, "stored");
    assert.equal(loadConfig({}, { CAIRN_ACKNOWLEDGE: "Stored" }, cwd).acknowledge, "stored");
    assert.throws(
      () => loadConfig({}, { CAIRN_ACKNOWLEDGE: "fsync" }, cwd),
      /CAIRN_ACKNOWLEDGE \(--acknowledge\) must be logged or stored, got "fsync"/,
    );
  });

  test("an empty variable counts as unset", () => {
    assert.equal(loadConfig({}, { CAIRN_PORT: "" }, cwd).port, 8080);
  });

  test("the configuration is frozen", () => {
    const config = loadConfig({}, {}, cwd);
    assert.throws(() => {
      (config as { port: number }).port = 1;
    }, TypeError);
  });

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    [
      "a port that is not a number",
      { CAIRN_PORT: "eighty" },
      /^invalid configuration: CAIRN_PORT \(--port\) must be a number, got "eighty"$/,
    ],
    ["a port out of range", { CAIRN_PORT: "70000" }, /CAIRN_PORT \(--port\) must be from 0 to 65535/],
    ["a fractional port", { CAIRN_PORT: "80.5" }, /CAIRN_PORT \(--port\) must be a whole number/],
    [
      "an unknown metadata scheme",
      { CAIRN_METADATA_URL: "mysql://db/cairn" },
      /CAIRN_METADATA_URL \(--metadata-url\) must be sqlite:<file> or postgres/,
    ],
    [
      "an unknown events scheme",
      { CAIRN_EVENTS_URL: "kafka://x" },
      /CAIRN_EVENTS_URL \(--events-url\) must be duckdb:<file>, clickhouse:\/\/… or chdb:<folder>, got "kafka:\/\/x"/,
    ],
    [
      "a ClickHouse database name that is not an identifier",
      { CAIRN_EVENTS_URL: "clickhouse://cairn:secret@ch.internal:8123/bad-name" },
      /CAIRN_EVENTS_URL \(--events-url\) names the ClickHouse database "bad-name": use letters, digits and _/,
    ],
    [
      "a public URL that is not http(s)",
      { CAIRN_PUBLIC_URL: "ftp://x.example.com" },
      /CAIRN_PUBLIC_URL \(--public-url\)/,
    ],
    ["an unknown log level", { CAIRN_LOG_LEVEL: "loud" }, /CAIRN_LOG_LEVEL \(--log-level\) must be one of/],
    [
      "a webhook allowlist entry that is no host, address or range",
      { CAIRN_WEBHOOK_ALLOW: "10.0.0.0/8, http://x" },
      /CAIRN_WEBHOOK_ALLOW \(--webhook-allow\) must be a comma list .* "http:\/\/x" is none/,
    ],
    ["a range too wide for its family", { CAIRN_WEBHOOK_ALLOW: "10.0.0.0/33" }, /CAIRN_WEBHOOK_ALLOW/],
    [
      "webhook http that is not true or false",
      { CAIRN_WEBHOOK_ALLOW_HTTP: "yes please" },
      /CAIRN_WEBHOOK_ALLOW_HTTP \(--webhook-allow-http\) must be true or false/,
    ],
    [
      "a prepare time limit that is not whole milliseconds",
      { CAIRN_PREPARE_TIMEOUT_MS: "2.5s" },
      /CAIRN_PREPARE_TIMEOUT_MS \(--prepare-timeout-ms\) must be a whole number of milliseconds/,
    ],
    [
      "a prepare time limit of zero",
      { CAIRN_PREPARE_TIMEOUT_MS: "0" },
      /CAIRN_PREPARE_TIMEOUT_MS \(--prepare-timeout-ms\) must be from 1 to 600000/,
    ],
  ];
  for (const [what, env, message] of bad) {
    test(`${what} is refused with one line naming the setting`, () => {
      assert.throws(
        () => loadConfig({}, env, cwd),
        (error: unknown) =>
          error instanceof ConfigError && message.test(error.message) && !error.message.includes("\n"),
      );
    });
  }

  test("a refused server URL never shows its password", () => {
    assert.throws(
      () => loadConfig({}, { CAIRN_METADATA_URL: "mysql://cairn:hunter2@db/cairn" }, cwd),
      (error: unknown) =>
        error instanceof ConfigError && !error.message.includes("hunter2") && error.message.includes("***"),
    );
  });
});
