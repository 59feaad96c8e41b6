import type { FastifyInstance } from "fastify";
import { collectorCorsHeaders, transparentGif } from "./cors.js";
import { decodeJzb } from "./jzb.js";

function requestId(query: unknown): string | undefined {
  const id = (query as { id?: unknown } | undefined)?.id;
  return typeof id === "string" ? id.slice(0, 64) : undefined;
}

function urlFromJzb(jzb: unknown): string | undefined {
  if (typeof jzb !== "string") return undefined;
  try {
    const params = decodeJzb(jzb) as { url?: unknown } | null;
    return typeof params?.url === "string" ? params.url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the agent needs besides the beacons (agent-wire.md §3, §7.2): a valid guide payload with no guides
 * until guides exist, the diagnostics endpoints, and the error log.
 */
export function registerAgentSupportRoutes(app: FastifyInstance): void {
  const guidePayload = (id: string | undefined, url: string | undefined) => ({
    guides: [],
    // Must be truthy, or the agent shuts guides down (agent-wire.md §7.2).
    lastGuideStepSeen: { isMultiStep: false, state: "" },
    ...(id !== undefined ? { id } : {}),
    ...(url !== undefined ? { normalizedUrl: url } : {}),
  });

  app.get("/data/guide.json/:appKey", async (request, reply) => {
    const query = request.query as { jzb?: unknown };
    return reply
      .headers(collectorCorsHeaders)
      .send(guidePayload(requestId(request.query), urlFromJzb(query.jzb)));
  });
  app.post("/data/guide.json/:appKey", async (request, reply) => {
    const body = (typeof request.body === "string" ? JSON.parse(request.body) : request.body) as {
      events?: unknown;
    } | null;
    return reply
      .headers(collectorCorsHeaders)
      .send(guidePayload(requestId(request.query), urlFromJzb(body?.events)));
  });
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
