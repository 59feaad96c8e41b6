import { type Static, Type } from "@sinclair/typebox";
import type { CairnApp } from "../platform/http/cairn-app.js";
import type { CollectorDeps } from "./collector-deps.js";
import { registerServerEventRoute } from "./server-event-route.js";
import { serverEventFields } from "./server-side-event.js";

// Pendo's documented body (pendo-api.md §4), read as senders write it (server-side-event.ts); extra fields are
// tolerated as Pendo's clients send some.
const trackBody = Type.Object({
  type: Type.Unsafe<"track">({ const: "track" }),
  event: Type.String({ minLength: 1, maxLength: 1024 }),
  properties: Type.Optional(Type.Unsafe<Record<string, unknown>>({ type: "object" })),
  ...serverEventFields,
});

/** `POST /data/track`: server-side track events, authenticated by the app's track secret. */
export function registerTrackRoute(
  app: CairnApp,
  deps: Pick<CollectorDeps, "verifier" | "metadata" | "writer" | "excludeList" | "doNotProcess" | "drops">,
): void {
  registerServerEventRoute<Static<typeof trackBody>>(app, deps, {
    url: "/data/track",
    summary: "Send a server-side track event",
    description:
      "Pendo's Track Events API: `type` must be `track`; `context` may be left out or `null`, and `ip`, `userAgent`, `url` and `title` are read from `context` or else the top level; a fractional `timestamp` is cut to the millisecond. Answers 200 once the event is durable.",
    body: trackBody,
    answer: "Track event was sent as requested",
    event: (body) => ({
      type: "track",
      trackName: body.event,
      properties: { properties: body.properties ?? {} },
    }),
  });
}
