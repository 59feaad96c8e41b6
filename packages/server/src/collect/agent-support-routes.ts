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

function requestIdOf(query: unknown): string | undefined {
  const id = (query as { id?: unknown } | undefined)?.id;
  return typeof id === "string" ? id.slice(0, 64) : undefined;
}

/**
 * `pendo.guidesPayload(…);` with the JSON made safe inside a script: no `</script>`, no line separators that
 * end a JavaScript string.
 */
function jsonpOf(json: string): string {
  const safe = json
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
  return `pendo.guidesPayload(${safe});`;
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
  deps: Pick<CollectorDeps, "verifier" | "appKeys" | "writer" | "guides">,
): void {
  /** The visitor's guides, or 451 for a do-not-process visitor (agent-wire.md §7.2); `wrap` makes guide.js. */
  async function answerGuides(
    request: FastifyRequest,
    reply: FastifyReply,
    jzb: unknown,
    wrap?: (json: string) => string,
  ) {
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
    const requestId = requestIdOf(request.query);
    const answer = await deps.guides.answer({
      subscriptionId: resolved.subscriptionId,
      appId: resolved.appId,
      ...(visitorId && visitorId.length <= 512 ? { visitorId } : {}),
      ...(params.url === undefined ? {} : { url: params.url }),
      ...(requestId === undefined ? {} : { requestId }),
    });
    reply.header("cache-control", "no-store");
    if ("doNotProcess" in answer) {
      const body = { statusCode: 451, message: "This visitor is marked do-not-process." };
      if (wrap)
        return reply
          .code(451)
          .type("application/javascript")
          .send(wrap(JSON.stringify(body)));
      return reply.code(451).send(body);
    }
    if (wrap) return reply.type("application/javascript").send(wrap(JSON.stringify(answer.payload)));
    return reply.send(answer.payload);
  }

  app.get("/data/guide.json/:appKey", async (request, reply) =>
    answerGuides(request, reply, (request.query as { jzb?: unknown }).jzb),
  );
  app.post("/data/guide.json/:appKey", async (request, reply) => {
    reply.headers(collectorCorsHeaders);
    return answerGuides(request, reply, jzbFromBody(request.body));
  });
  // The JSONP form older agents load with a <script> (pendo-api.md §2.4).
  app.get("/data/guide.js/:appKey", async (request, reply) =>
    answerGuides(request, reply, (request.query as { jzb?: unknown }).jzb, jsonpOf),
  );
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
