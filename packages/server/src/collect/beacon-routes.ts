import { hash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { maxEventsPerRequest } from "../ingest/prepare-batch.js";
import { CairnError } from "../platform/errors/cairn-error.js";
import type { CairnApp } from "../platform/http/cairn-app.js";
import { firstHeader } from "../platform/http/first-header.js";
import { beaconIdentity } from "./beacon-identity.js";
import type { CollectorDeps } from "./collector-deps.js";
import { collectorCorsHeaders, transparentGif } from "./cors.js";
import { countJzbEvents, inflateJzb, JzbError } from "./jzb.js";
import { jzbFromBody } from "./jzb-body.js";
import { createRecentBatches } from "./recent-batches.js";
import { resolveCollectorApp } from "./resolve-app.js";

const beacons = new Set(["ptm.gif", "guide.gif", "poll.gif", "agentic.gif"]);

/**
 * The beacon routes take no schema: their query is read as it comes (a repeated `jzb` is refused below with
 * this API's own message), and the path's names are checked by the handler.
 */
interface BeaconRequest {
  Params: { beacon: string; appKey: string };
  Querystring: { jzb?: unknown; type?: unknown };
}

/**
 * The analytics beacons of Pendo's agent and Cairn's (agent-wire.md §3, §10): decode, validate, enrich,
 * write durably, and only then answer with the GIF the agent counts as delivered.
 */
export function registerBeaconRoutes(app: CairnApp, deps: CollectorDeps): void {
  const recent = createRecentBatches(deps.rememberedBatches, deps.sharedCounts);
  // sendBeacon labels the JSON body text/plain; parse it as text here and as JSON in jzbFromBody.
  app.addContentTypeParser(
    "text/plain",
    { parseAs: "string", bodyLimit: 1024 * 1024 },
    (_request, body, done) => done(null, body),
  );

  async function collect(request: FastifyRequest<BeaconRequest>, reply: FastifyReply, jzb: string) {
    reply.headers(collectorCorsHeaders);
    const { beacon, appKey } = request.params;
    if (!beacons.has(beacon)) throw new CairnError("not_found");
    const resolved = await resolveCollectorApp(deps, request, appKey);
    // Inflated and counted here to refuse what can never load; the events are parsed and validated once, on a
    // worker, when they are loaded. The inflated bytes go along in memory, which took 17% off the worker's
    // CPU under collector load (bench/RESULTS.md); a replay after a crash inflates the logged jzb again.
    let count: number;
    let inflated: Buffer;
    try {
      inflated = inflateJzb(jzb);
      count = countJzbEvents(inflated);
    } catch (error) {
      if (!(error instanceof JzbError)) throw error;
      const tooLarge = error.reason === "too_large_inflated" || error.reason === "too_long";
      throw new CairnError(tooLarge ? "payload_too_large" : "bad_request", { message: error.message });
    }
    if (count > maxEventsPerRequest) {
      throw new CairnError("payload_too_large", {
        message: `At most ${maxEventsPerRequest} events per request.`,
      });
    }
    const exclude =
      deps.excludeList.cachedMatcher(resolved.subscriptionId) ??
      (await deps.excludeList.matcherFor(resolved.subscriptionId));
    const forcedType =
      beacon === "agentic.gif" ? "agentic" : request.query.type === "track" ? "track" : undefined;
    const identity = beaconIdentity(request, resolved.identity);
    const batchKey = hash("sha256", jzb, "base64url").slice(0, 22);
    const recentKey = `${resolved.appId}:${forcedType ?? ""}:${batchKey}`;
    if (!recent.claim(recentKey)) {
      deps.drops.set("duplicate_batch", (deps.drops.get("duplicate_batch") ?? 0) + count);
      return reply.code(200).type("image/gif").send(transparentGif);
    }
    const logged = deps.writer.writeBeacon(
      {
        jzb,
        batchKey,
        subscriptionId: resolved.subscriptionId,
        appId: resolved.appId,
        receivedAt: Date.now(),
        ip: request.ip,
        userAgent: firstHeader(request, "user-agent") ?? null,
        excludeRules: exclude.rules,
        ...(forcedType ? { forcedType } : {}),
        ...(identity ? { identity } : {}),
      },
      count,
      inflated,
    );
    await logged.catch((error: unknown) => {
      recent.release(recentKey);
      throw error;
    });
    return reply.code(200).type("image/gif").send(transparentGif);
  }

  app.options("/data/*", async (_request, reply) => reply.code(204).headers(collectorCorsHeaders).send());

  app.get<BeaconRequest>("/data/:beacon/:appKey", async (request, reply) => {
    if (typeof request.query.jzb !== "string") {
      reply.headers(collectorCorsHeaders);
      throw new CairnError("bad_request", { message: "A beacon needs its jzb query parameter." });
    }
    return collect(request, reply, request.query.jzb);
  });

  app.post<BeaconRequest>("/data/:beacon/:appKey", async (request, reply) => {
    reply.headers(collectorCorsHeaders);
    return collect(request, reply, jzbFromBody(request.body));
  });
}
