import assert from "node:assert/strict";
import { it } from "node:test";
import type { AgentConfig } from "../agent-config.js";
import { effectiveOptions } from "./agent-options.js";

const served: AgentConfig = {
  apiKey: "app-key",
  dataHost: "http://127.0.0.1:8080",
  version: "0.1.0",
  excludeAllText: true,
};

it("uses the served config, with Cairn's defaults", () => {
  const options = effectiveOptions(served, {});
  assert.equal(options.apiKey, "app-key");
  assert.equal(options.dataHost, "http://127.0.0.1:8080");
  assert.equal(options.excludeAllText, true);
  assert.equal(options.disablePersistence, false);
  assert.equal(options.flushIntervalMs, 10_000);
  assert.equal(options.sanitizeUrl("u"), "u");
});

it("lets initialize options win, as Pendo's snippet does, except that excludeAllText can only be turned on", () => {
  const sanitizeUrl = (url: string): string => url.split("?")[0] ?? url;
  const options = effectiveOptions(
    { ...served, excludeAllText: false, allowedText: ["Save"], flushIntervalMs: 500 },
    {
      dataHost: "collector.example/",
      excludeAllText: true,
      allowedText: ["Next"],
      disablePersistence: true,
      sanitizeUrl,
    },
  );
  assert.equal(options.dataHost, "https://collector.example", "a bare host gets https://, like Pendo's");
  assert.equal(options.excludeAllText, true);
  assert.deepEqual(options.allowedText, ["Next"]);
  assert.equal(options.disablePersistence, true);
  assert.equal(options.sanitizeUrl("http://a/b?secret=1"), "http://a/b");
  assert.equal(options.flushIntervalMs, 500);
  assert.equal(effectiveOptions(served, { excludeAllText: false }).excludeAllText, true);
});
