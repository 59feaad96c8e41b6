import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppKeyCache } from "../../access/apps/app-key-cache.js";
import type { KeyVerifier } from "../../access/keys/key-verifier.js";
import { collectorCorsHeaders } from "../../collect/cors.js";
import { decodeJzb } from "../../collect/jzb.js";
import { jzbFromBody } from "../../collect/jzb-body.js";
import { resolveCollectorApp } from "../../collect/resolve-app.js";
import type { IngestWriter } from "../../ingest/ingest-writer.js";
import { anonymousPrefix } from "../../ingest/profile-patches.js";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { GuideDelivery } from "./guide-delivery.js";

interface GuideQuery {
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
function guideQuery(jzb: unknown): GuideQuery {
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
 * What Pendo's agent and Cairn's ask for guides with (agent-wire.md §7): `guide.json` (GET, or POST when the
 * URL would be long), the JSONP `guide.js`, and each step's building blocks; in the collector's public-key
 * context, so the app key, its origins and the rate limits apply as for beacons.
 */
export function registerGuideRoutes(
  app: CairnApp,
  deps: {
    verifier: KeyVerifier;
    appKeys: AppKeyCache;
    writer: IngestWriter;
    guides: GuideDelivery;
    publicUrl: () => string;
  },
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
    const params = guideQuery(jzb);
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
      contentBase: `${deps.publicUrl().replace(/\/+$/, "")}/data/guide-content/${appKey}`,
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
    if (wrap) return reply.type("application/javascript").send(wrap(answer.payload));
    return reply.type("application/json; charset=utf-8").send(answer.payload);
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
  // A step's building blocks, which Pendo's agent fetches from the step's `domUrl` when it shows the step. The
  // URL names the guide's version, so an answer for the current version is cached for good.
  app.get("/data/guide-content/:appKey/:guideId/:stepId/:file", async (request, reply) => {
    reply.headers(collectorCorsHeaders);
    const { appKey, guideId, stepId, file } = request.params as {
      appKey: string;
      guideId: string;
      stepId: string;
      file: string;
    };
    const resolved = await resolveCollectorApp(deps, request, appKey);
    const content = await deps.guides.stepContent(resolved.appId, guideId, stepId);
    if (!content)
      throw new CairnError("not_found", {
        message: "No live guide step here: the guide was unpublished, deleted or changed.",
        hint: "Load guide.json again for the current steps.",
      });
    const current = file === `${content.version}.dom.json`;
    reply.header("cache-control", current ? "public, max-age=31536000, immutable" : "no-store");
    return reply.send(content.domJson);
  });
}
