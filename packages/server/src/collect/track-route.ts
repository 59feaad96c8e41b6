import { randomUUID } from "node:crypto";
import { Type } from "@sinclair/typebox";
import { isbot } from "isbot";
import { keyGuard } from "../access/keys/key-guard.js";
import { CairnError } from "../platform/errors/cairn-error.js";
import { inArea } from "../platform/http/api-areas.js";
import type { CairnApp } from "../platform/http/cairn-app.js";
import type { CollectorDeps } from "./collector-deps.js";

const contextProperties = {
  ip: Type.Optional(Type.String({ maxLength: 64 })),
  userAgent: Type.Optional(Type.String({ maxLength: 2048 })),
  url: Type.Optional(Type.String({ maxLength: 8192 })),
  title: Type.Optional(Type.String({ maxLength: 2048 })),
};

// Pendo's documented body (pendo-api.md §4); extra fields are tolerated as Pendo's clients send some.
const trackBody = Type.Object({
  type: Type.Unsafe<"track">({ const: "track" }),
  event: Type.String({ minLength: 1, maxLength: 1024 }),
  visitorId: Type.String({ minLength: 1, maxLength: 512 }),
  accountId: Type.Optional(Type.String({ maxLength: 512 })),
  // Up to the year 9999: later times do not fit the event store's timestamps.
  timestamp: Type.Integer({ minimum: 0, maximum: 253_402_300_799_999 }),
  properties: Type.Optional(Type.Unsafe<Record<string, unknown>>({ type: "object" })),
  context: Type.Optional(Type.Object(contextProperties)),
  ...contextProperties,
});

const trackSchema = {
  ...inArea("track"),
  summary: "Send a server-side track event",
  description:
    "Pendo's Track Events API: `type` must be `track`; `ip`, `userAgent`, `url` and `title` are read from `context` or the top level. Answers 200 once the event is durable.",
  body: trackBody,
  response: {
    200: {
      description: "The event is stored.",
      content: { "text/plain": { schema: Type.Literal("Track event was sent as requested") } },
    },
  },
};

/** `POST /data/track`: server-side track events, authenticated by the app's track secret. */
export function registerTrackRoute(
  app: CairnApp,
  deps: Pick<CollectorDeps, "verifier" | "metadata" | "writer" | "excludeList">,
): void {
  const { writer, excludeList } = deps;
  app.post(
    "/data/track",
    { preHandler: keyGuard(deps.verifier, deps.metadata, "track"), schema: trackSchema },
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
