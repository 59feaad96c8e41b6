import { Type } from "@sinclair/typebox";
import { keyGuard } from "../access/keys/key-guard.js";
import { CairnError } from "../platform/errors/cairn-error.js";
import { inArea } from "../platform/http/api-areas.js";
import type { CairnApp } from "../platform/http/cairn-app.js";
import type { CollectorDeps } from "./collector-deps.js";
import { serverEventFields, writeServerEvent } from "./server-side-event.js";

// Pendo's documented body (pendo-api.md §4), read as senders write it (server-side-event.ts); extra fields are
// tolerated as Pendo's clients send some.
const trackBody = Type.Object({
  type: Type.Unsafe<"track">({ const: "track" }),
  event: Type.String({ minLength: 1, maxLength: 1024 }),
  properties: Type.Optional(Type.Unsafe<Record<string, unknown>>({ type: "object" })),
  ...serverEventFields,
});

const trackSchema = {
  ...inArea("track"),
  summary: "Send a server-side track event",
  description:
    "Pendo's Track Events API: `type` must be `track`; `context` may be left out or `null`, and `ip`, `userAgent`, `url` and `title` are read from `context` or else the top level; a fractional `timestamp` is cut to the millisecond. Answers 200 once the event is durable.",
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
  app.post(
    "/data/track",
    { preHandler: keyGuard(deps.verifier, deps.metadata, "track"), schema: trackSchema },
    async (request, reply) => {
      const key = request.cairnKey;
      if (!key?.appId) throw new CairnError("internal");
      const body = request.body;
      await writeServerEvent(
        deps,
        { subscriptionId: key.subscriptionId, appId: key.appId },
        { type: "track", trackName: body.event, body, properties: { properties: body.properties ?? {} } },
      );
      return reply.code(200).type("text/plain; charset=utf-8").send("Track event was sent as requested");
    },
  );
}
