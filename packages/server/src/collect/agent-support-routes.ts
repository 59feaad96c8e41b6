import type { CairnApp } from "../platform/http/cairn-app.js";
import { collectorCorsHeaders, transparentGif } from "./cors.js";

/** What the agent needs besides the beacons and guides (agent-wire.md §3): the diagnostics and the error log. */
export function registerAgentSupportRoutes(app: CairnApp): void {
  app.get("/data/log.gif/:appKey", async (_request, reply) =>
    reply.headers(collectorCorsHeaders).type("image/gif").send(transparentGif),
  );
  app.post("/data/errorlog", async (request, reply) => {
    request.log.warn(
      { agentError: String((request.body as { error?: unknown } | null)?.error ?? "").slice(0, 2000) },
      "agent error log",
    );
    return reply.code(204).headers(collectorCorsHeaders).send();
  });
}
