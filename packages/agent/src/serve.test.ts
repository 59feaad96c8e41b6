import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import { runInNewContext } from "node:vm";
import { agentBundlePath, renderAgent } from "../serve.js";
import type { AgentConfig } from "./agent-config.js";

/** Objects made inside the vm have the other realm's prototypes; a JSON copy compares by value. */
const fromOtherRealm = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const bundle = "(function(config){ globalThis.received = config; })(__CAIRN_AGENT_CONFIG__);";

describe("renderAgent", () => {
  it("puts the config in place of the placeholder as an object literal", () => {
    const config: AgentConfig = { apiKey: "k", dataHost: "http://h", version: "1", excludeAllText: true };
    const sandbox: { received?: unknown } = {};
    runInNewContext(renderAgent(bundle, config), sandbox);
    assert.deepEqual(fromOtherRealm(sandbox.received), config);
  });

  it("escapes </script>, <!--, U+2028 and U+2029, and keeps $-patterns literal", () => {
    const hostile = "</script><script>alert(1)</script><!-- \u2028\u2029 $& $' $` \\ \"";
    const config: AgentConfig = {
      apiKey: hostile,
      dataHost: "http://h",
      version: "1",
      excludeAllText: false,
      allowedText: [hostile],
    };
    const served = renderAgent(bundle, config);
    assert.equal(served.includes("</script"), false);
    assert.equal(served.includes("<!--"), false);
    assert.equal(/[\u2028\u2029]/.test(served), false);
    const sandbox: { received?: unknown } = {};
    runInNewContext(served, sandbox);
    assert.deepEqual(fromOtherRealm(sandbox.received), config);
  });

  it("refuses a bundle without the placeholder, or with two", () => {
    const config: AgentConfig = { apiKey: "k", dataHost: "http://h", version: "1", excludeAllText: true };
    assert.throws(() => renderAgent("(function(){})()", config), /exactly once/);
    assert.throws(() => renderAgent(`${bundle}${bundle}`, config), /exactly once/);
  });

  it("points agentBundlePath at the built dist/pendo.js", () => {
    assert.match(agentBundlePath, /[/\\]packages[/\\]agent[/\\]dist[/\\]pendo\.js$/);
    assert.ok(existsSync(agentBundlePath), "run the build first (npm test does)");
  });
});
