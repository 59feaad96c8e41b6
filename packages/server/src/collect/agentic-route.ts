import { type Static, Type } from "@sinclair/typebox";
import type { CairnApp } from "../platform/http/cairn-app.js";
import { stringEnum } from "../platform/http/schema-kit.js";
import type { CollectorDeps } from "./collector-deps.js";
import { registerServerEventRoute } from "./server-event-route.js";
import { serverEventFields } from "./server-side-event.js";

/** The conversation events `pendo.trackAgent(type, props)` sends (agent-wire.md §5.6) and Pendo's SDKs add. */
export const agenticEventTypes = [
  "prompt",
  "agent_response",
  "system_response",
  "user_reaction",
  "agent_trace",
] as const;

const conversationField = (description: string) =>
  Type.Optional(Type.String({ maxLength: 1024, description }));

// The envelope of /data/track (server-side-event.ts), with the conversation event's type and its `props` as
// trackAgent sends them; extra fields are tolerated.
const agenticBody = Type.Object({
  type: stringEnum(agenticEventTypes),
  props: Type.Object(
    {
      agentId: conversationField("the AI agent"),
      conversationId: conversationField("the conversation: every message of one shares it"),
      messageId: conversationField("this message, unique in its conversation"),
      content: Type.Optional(
        Type.String({
          description: "the prompt, the response, or the reaction (positive, negative, unreact)",
        }),
      ),
    },
    {
      description:
        "the conversation's fields, as `pendo.trackAgent(type, props)` takes them; others are kept",
    },
  ),
  properties: Type.Optional(
    Type.Unsafe<Record<string, unknown>>({ type: "object", description: "other event properties" }),
  ),
  ...serverEventFields,
  timestamp: Type.Optional(serverEventFields.timestamp),
});

/** `POST /data/agentic`: the server-side form of the agentic.gif beacon, authenticated by the app's track secret. */
export function registerAgenticRoute(
  app: CairnApp,
  deps: Pick<CollectorDeps, "verifier" | "metadata" | "writer" | "excludeList" | "doNotProcess" | "drops">,
): void {
  registerServerEventRoute<Static<typeof agenticBody>>(app, deps, {
    url: "/data/agentic",
    summary: "Send a server-side AI agent conversation event",
    description:
      "One event of a conversation with an AI agent (a prompt, the agent's response, a visitor's reaction), with the app's track secret. Stored as the events of agentic.gif are: type `agentic`, the conversation event's type beside it. The envelope is /data/track's (`context` may be missing or null, its fields at the top level); `timestamp` defaults to the time it arrived. Answers 200 once the event is durable.",
    body: agenticBody,
    answer: "Agentic event was sent as requested",
    event: (body) => ({
      type: "agentic",
      trackName: body.type,
      properties: { props: body.props, properties: body.properties ?? {} },
    }),
  });
}
