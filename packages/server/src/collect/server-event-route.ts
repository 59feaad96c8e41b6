import { type TObject, Type } from "@sinclair/typebox";
import { keyGuard } from "../access/keys/key-guard.js";
import { CairnError } from "../platform/errors/cairn-error.js";
import { inArea } from "../platform/http/api-areas.js";
import type { CairnApp } from "../platform/http/cairn-app.js";
import type { CollectorDeps } from "./collector-deps.js";
import { type ServerEventEnvelope, writeServerEvent } from "./server-side-event.js";

export interface ServerEventRoute<Body extends ServerEventEnvelope> {
  readonly url: string;
  readonly summary: string;
  readonly description: string;
  /** The body's schema; `Body` is its static type (`Static<typeof schema>`). */
  readonly body: TObject;
  /** Pendo's plain-text answer once the event is durable. */
  readonly answer: string;
  /** What the event store keeps of the body beside the envelope. */
  readonly event: (body: Body) => {
    type: string;
    trackName: string | null;
    properties: Record<string, unknown>;
  };
}

/**
 * A route of server-side events (`/data/track`, `/data/agentic`): the app's track secret, one event written
 * through the ingest log, Pendo's plain-text answer once it is durable.
 */
export function registerServerEventRoute<Body extends ServerEventEnvelope>(
  app: CairnApp,
  deps: Pick<CollectorDeps, "verifier" | "metadata" | "writer" | "excludeList" | "doNotProcess" | "drops">,
  route: ServerEventRoute<Body>,
): void {
  const schema = {
    ...inArea("track"),
    summary: route.summary,
    description: route.description,
    body: route.body,
    response: {
      200: {
        description: "The event is stored.",
        content: { "text/plain": { schema: Type.Literal(route.answer) } },
      },
    },
  };
  app.post(
    route.url,
    { preHandler: keyGuard(deps.verifier, deps.metadata, "track"), schema },
    async (request, reply) => {
      const key = request.cairnKey;
      if (!key?.appId) throw new CairnError("internal");
      // Fastify validated it against `route.body`; a generic schema's static type does not reach the handler.
      const body = request.body as unknown as Body;
      await writeServerEvent(
        deps,
        { subscriptionId: key.subscriptionId, appId: key.appId },
        { ...route.event(body), body },
      );
      return reply.code(200).type("text/plain; charset=utf-8").send(route.answer);
    },
  );
}
