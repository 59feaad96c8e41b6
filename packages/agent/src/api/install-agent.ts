import type { AgentConfig } from "../agent-config.js";
import { fetchTransport } from "../transport/send-queue.js";
import { type CairnAgent, createAgent } from "./create-agent.js";

/** The methods the snippet may have queued in `pendo._q` (Pendo's replay list, plus trackAgent). */
const replayable = [
  "initialize",
  "identify",
  "updateOptions",
  "pageLoad",
  "track",
  "trackAgent",
  "clearSession",
];

interface SnippetStub {
  _q?: unknown;
  [method: string]: unknown;
}

/**
 * Turns the snippet's stub `window.pendo` into the agent (keeping the same object, which the page may
 * hold on to) and replays the calls it queued, `initialize` first since the snippet unshifts it.
 */
export function installAgent(win: Window, config: AgentConfig): CairnAgent | undefined {
  const holder = win as unknown as { pendo?: SnippetStub };
  const stub: SnippetStub = holder.pendo ?? {};
  // A second copy of the script on the same page must not start a second agent.
  if (typeof stub.getVisitorId === "function") return undefined;
  const queued = Array.isArray(stub._q) ? (stub._q as unknown[]) : [];
  const agent = createAgent(config, { win, transport: fetchTransport, now: () => Date.now() });
  Object.defineProperties(stub, Object.getOwnPropertyDescriptors(agent));
  stub._q = [];
  holder.pendo = stub;
  for (const entry of queued) {
    if (!Array.isArray(entry)) continue;
    const [method, ...args] = entry as [unknown, ...unknown[]];
    const target = typeof method === "string" && replayable.indexOf(method) >= 0 ? stub[method] : undefined;
    if (typeof target === "function") {
      try {
        target(...args);
      } catch {
        // One bad queued call (e.g. a throwing sanitizeUrl) must not lose the ones after it.
      }
    }
  }
  return agent;
}
