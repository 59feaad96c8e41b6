import type { FastifyReply, FastifyRequest } from "fastify";
import { anonymousPrefix } from "../ingest/profile-patches.js";
import type { CairnApp } from "../platform/http/cairn-app.js";
import type { CollectorDeps } from "./collector-deps.js";
import { collectorCorsHeaders, transparentGif } from "./cors.js";
import { decodeJzb } from "./jzb.js";
import { jzbFromBody } from "./jzb-body.js";
import { resolveCollectorApp } from "./resolve-app.js";

interface GuideRequest {
  readonly url?: string;
  readonly visitorId?: string;
  readonly oldVisitorId?: string;
}

function requestId(query: unknown): string | undefined {
  const id = (query as { id?: unknown } | undefined)?.id;
  return typeof id === "string" ? id.slice(0, 64) : undefined;
}

/** The guide request's parameters (agent-wire.md §7.1); a malformed one still gets an empty guide list. */
function guideRequest(jzb: unknown): GuideRequest {
  if (typeof jzb !== "string") return {};
  try {
    const params = decodeJzb(jzb) as Record<string, unknown> | null;
    const text = (value: unknown) => (typeof value === "string" && value.length <= 8_192 ? value : undefined);
    return {
      url: text(params?.url),
      visitorId: text(params?.visitorId),
      oldVisitorId: text(params?.oldVisitorId),
    };
  } catch {
    return {};
  }
}

/**
 * What the agent needs besides the beacons (agent-wire.md §3, §7.2): a valid guide payload with no guides
 * until guides exist, the diagnostics endpoints, and the error log.
 */
export function registerAgentSupportRoutes(
  app: CairnApp,
  deps: Pick<CollectorDeps, "verifier" | "appKeys" | "writer">,
): void {
  const guidePayload = (id: string | undefined, url: string | undefined) => ({
    guides: [],
    // Must be truthy, or the agent shuts guides down (agent-wire.md §7.2).
    lastGuideStepSeen: { isMultiStep: false, state: "" },
    ...(id !== undefined ? { id } : {}),
    ...(url !== undefined ? { normalizedUrl: url } : {}),
  });

  async function answerGuides(request: FastifyRequest, reply: FastifyReply, jzb: unknown) {
    reply.headers(collectorCorsHeaders);
    const { appKey } = request.params as { appKey: string };
    const resolved = await resolveCollectorApp(deps, request, appKey);
    const params = guideRequest(jzb);
    const { visitorId, oldVisitorId } = params;
    // The guide request names the anonymous id this visitor replaced, so its history can be aliased (§6).
    if (
      visitorId &&
      oldVisitorId?.startsWith(anonymousPrefix) &&
      !visitorId.startsWith(anonymousPrefix) &&
      visitorId.length <= 512
    ) {
      const alias = {
        subscriptionId: resolved.subscriptionId,
        anonymousId: oldVisitorId.slice(0, 512),
        visitorId,
        aliasedAt: Date.now(),
      };
      await deps.writer.write([], [alias]).catch((error: unknown) => {
        request.log.warn({ err: error }, "could not record a visitor alias from a guide request");
      });
    }
    return reply.send(guidePayload(requestId(request.query), params.url));
  }

  app.get("/data/guide.json/:appKey", async (request, reply) =>
    answerGuides(request, reply, (request.query as { jzb?: unknown }).jzb),
  );
  app.post("/data/guide.json/:appKey", async (request, reply) => {
    reply.headers(collectorCorsHeaders);
    return answerGuides(request, reply, jzbFromBody(request.body));
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
