import { Type } from "@sinclair/typebox";
import type { CairnApp } from "../platform/http/cairn-app.js";
import type { AgentScriptDeps } from "./agent-script-route.js";
import { collectorCorsHeaders } from "./cors.js";
import { resolveCollectorApp } from "./resolve-app.js";

/**
 * The app's settings as Pendo's agent reads them from config.json (agent-wire.md §3.1): every field is optional
 * but for the key; `dataHost` sends the beacons here. Cairn's own feedback panel is not Pendo's Feedback, so
 * `pendoFeedback` is off; there are no signed guides to validate.
 */
const agentConfig = Type.Object({
  apiKey: Type.String({ description: "the app key, lower-cased" }),
  dataHost: Type.String({ description: "this server's public URL: where the agent sends its beacons" }),
  excludeAllText: Type.Literal(true, { description: "no element text in events, as Cairn's agent" }),
  guideValidation: Type.Literal(false),
  pendoFeedback: Type.Literal(false),
});

/**
 * `GET /agent/static/:appKey/config.json`: what Pendo's npm agent (setup.js) fetches before it loads, from the
 * customer's page, so the answer carries CORS headers, a 404 for an unknown key included. Any origin may read
 * it, as any may load pendo.js: it holds only public settings.
 */
export function registerAgentConfigRoute(app: CairnApp, deps: AgentScriptDeps): void {
  app.get(
    "/agent/static/:appKey/config.json",
    {
      schema: {
        params: Type.Object({ appKey: Type.String() }),
        response: { 200: agentConfig },
      },
    },
    async (request, reply) => {
      reply.headers(collectorCorsHeaders);
      const { appKey } = request.params;
      await resolveCollectorApp(deps, request, appKey, { anyOrigin: true });
      reply.header("cache-control", "public, max-age=300");
      return {
        apiKey: appKey.toLowerCase(),
        dataHost: deps.publicUrl().replace(/\/+$/, ""),
        excludeAllText: true as const,
        guideValidation: false as const,
        pendoFeedback: false as const,
      };
    },
  );
}
