import { randomUUID } from "node:crypto";
import type { FastifyInstance, preHandlerHookHandler } from "fastify";
import { isbot } from "isbot";
import type { ExcludeListCache } from "../access/exclude/exclude-list-cache.js";
import type { IngestWriter } from "../ingest/ingest-writer.js";
import { CairnError } from "../platform/errors/cairn-error.js";

interface TrackContext {
  ip?: string;
  userAgent?: string;
  url?: string;
  title?: string;
}

interface TrackBody extends TrackContext {
  type: "track";
  event: string;
  visitorId: string;
  accountId?: string;
  timestamp: number;
  properties?: Record<string, unknown>;
  context?: TrackContext;
}

const contextProperties = {
  ip: { type: "string", maxLength: 64 },
  userAgent: { type: "string", maxLength: 2048 },
  url: { type: "string", maxLength: 8192 },
  title: { type: "string", maxLength: 2048 },
} as const;

// Pendo's documented body (pendo-api.md §4); extra fields are tolerated as Pendo's clients send some.
const trackBody = {
  type: "object",
  required: ["type", "event", "visitorId", "timestamp"],
  properties: {
    type: { const: "track" },
    event: { type: "string", minLength: 1, maxLength: 1024 },
    visitorId: { type: "string", minLength: 1, maxLength: 512 },
    accountId: { type: "string", maxLength: 512 },
    // Up to the year 9999: later times do not fit the event store's timestamps.
    timestamp: { type: "integer", minimum: 0, maximum: 253_402_300_799_999 },
    properties: { type: "object" },
    context: { type: "object", properties: contextProperties },
    ...contextProperties,
  },
} as const;

/** `POST /data/track`: server-side track events, authenticated by the app's track secret. */
export function registerTrackRoute(
  app: FastifyInstance,
  requireTrackSecret: preHandlerHookHandler,
  writer: IngestWriter,
  excludeList: ExcludeListCache,
): void {
  app.post<{ Body: TrackBody }>(
    "/data/track",
    { preHandler: requireTrackSecret, schema: { body: trackBody } },
    async (request, reply) => {
      const key = request.cairnKey;
      if (!key?.appId) throw new CairnError("internal");
      const body = request.body;
      const context = { ...body.context };
      for (const field of ["ip", "userAgent", "url", "title"] as const) context[field] ??= body[field];
      const receivedAt = Date.now();
      const properties = JSON.stringify({ properties: body.properties ?? {}, context });
      const exclude =
        excludeList.cachedMatcher(key.subscriptionId) ?? (await excludeList.matcherFor(key.subscriptionId));
      if (properties.length > 64 * 1024)
        throw new CairnError("payload_too_large", {
          message: "Properties and context are limited to 64 KiB.",
        });
      await writer.write([
        {
          eventId: randomUUID(),
          subscriptionId: key.subscriptionId,
          appId: key.appId,
          type: "track",
          visitorId: body.visitorId,
          accountId: body.accountId ?? null,
          occurredAt: body.timestamp,
          receivedAt,
          url: context.url ?? null,
          title: context.title ?? null,
          elementPath: null,
          trackName: body.event,
          ip: context.ip ?? null,
          userAgent: context.userAgent ?? null,
          isBot: context.userAgent !== undefined && isbot(context.userAgent),
          excluded: exclude.isExcluded({
            ip: context.ip,
            visitorId: body.visitorId,
            accountId: body.accountId,
            url: context.url,
          }),
          batchKey: null,
          properties,
        },
      ]);
      return reply.code(200).type("text/plain; charset=utf-8").send("Track event was sent as requested");
    },
  );
}
