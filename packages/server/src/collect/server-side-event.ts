import { randomUUID } from "node:crypto";
import { Type } from "@sinclair/typebox";
import { isbot } from "isbot";
import { CairnError } from "../platform/errors/cairn-error.js";
import { nullable } from "../platform/http/schema-kit.js";
import type { CollectorDeps } from "./collector-deps.js";

// What `POST /data/track` and `POST /data/agentic` share: Pendo's server-side envelope, read as senders write it
// (pendo-api.md §4 and Appendix C): `context` may be missing or null, its fields may be at the top level
// instead (or null), the timestamp may be a float.

const contextProperties = {
  ip: Type.Optional(nullable(Type.String({ maxLength: 64 }))),
  userAgent: Type.Optional(nullable(Type.String({ maxLength: 2048 }))),
  url: Type.Optional(nullable(Type.String({ maxLength: 8192 }))),
  title: Type.Optional(nullable(Type.String({ maxLength: 2048 }))),
};

/** The envelope's fields besides `type` and the event's own; extra fields are tolerated, as senders add some. */
export const serverEventFields = {
  visitorId: Type.String({ minLength: 1, maxLength: 512 }),
  accountId: Type.Optional(nullable(Type.String({ maxLength: 512 }))),
  timestamp: Type.Number({
    minimum: 0,
    // Up to the year 9999: later times do not fit the event store's timestamps.
    maximum: 253_402_300_799_999,
    description: "epoch ms; a fraction is dropped",
  }),
  context: Type.Optional(
    nullable(Type.Object(contextProperties), "browser context; its fields may also be at the top level"),
  ),
  ...contextProperties,
};

type Nullable<T> = T | null | undefined;
type ContextFields = {
  ip?: Nullable<string>;
  userAgent?: Nullable<string>;
  url?: Nullable<string>;
  title?: Nullable<string>;
};

/** The envelope as the schema above types it. */
export interface ServerEventEnvelope extends ContextFields {
  readonly visitorId: string;
  readonly accountId?: Nullable<string>;
  /** Required on /data/track; /data/agentic takes the time it arrived when it is left out. */
  readonly timestamp?: number;
  readonly context?: Nullable<ContextFields>;
}

/** `context` with each missing field taken from the top level. */
export function contextOf(body: ServerEventEnvelope): {
  ip?: string;
  userAgent?: string;
  url?: string;
  title?: string;
} {
  const context: { ip?: string; userAgent?: string; url?: string; title?: string } = {};
  for (const field of ["ip", "userAgent", "url", "title"] as const) {
    const value = body.context?.[field] ?? body[field];
    if (typeof value === "string") context[field] = value;
  }
  return context;
}

/**
 * Writes one server-side event through the ingest log, as the beacons' events are, and returns once it is
 * durable. `properties` is stored as the event's JSON properties (64 KiB at most).
 */
export async function writeServerEvent(
  deps: Pick<CollectorDeps, "writer" | "excludeList" | "doNotProcess" | "drops">,
  target: { subscriptionId: string; appId: string },
  event: {
    type: string;
    trackName: string | null;
    body: ServerEventEnvelope;
    properties: Record<string, unknown>;
  },
): Promise<void> {
  const { body } = event;
  // Answered as any other event, so the caller learns nothing of the mark; never stored.
  if (deps.doNotProcess?.isMarked(target.subscriptionId, body.visitorId)) {
    deps.drops.set("do_not_process", (deps.drops.get("do_not_process") ?? 0) + 1);
    return;
  }
  const context = contextOf(body);
  const properties = JSON.stringify({ ...event.properties, context });
  if (properties.length > 64 * 1024)
    throw new CairnError("payload_too_large", { message: "Properties and context are limited to 64 KiB." });
  const exclude =
    deps.excludeList.cachedMatcher(target.subscriptionId) ??
    (await deps.excludeList.matcherFor(target.subscriptionId));
  const accountId = body.accountId ?? null;
  const receivedAt = Date.now();
  await deps.writer.write([
    {
      eventId: randomUUID(),
      subscriptionId: target.subscriptionId,
      appId: target.appId,
      type: event.type,
      visitorId: body.visitorId,
      accountId,
      occurredAt: Math.floor(body.timestamp ?? receivedAt),
      receivedAt,
      url: context.url ?? null,
      title: context.title ?? null,
      elementPath: null,
      trackName: event.trackName,
      ip: context.ip ?? null,
      userAgent: context.userAgent ?? null,
      isBot: context.userAgent !== undefined && isbot(context.userAgent),
      excluded: exclude.isExcluded({
        ip: context.ip,
        visitorId: body.visitorId,
        accountId,
        url: context.url,
      }),
      batchKey: null,
      properties,
    },
  ]);
}
