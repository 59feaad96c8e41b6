import { readFile } from "node:fs/promises";
import { agentBundlePath, feedbackPanelBundlePath, guidesBundlePath, renderAgent } from "@cairn/agent/serve";
import type { FastifyReply } from "fastify";
import { CairnError } from "../platform/errors/cairn-error.js";
import type { CairnApp } from "../platform/http/cairn-app.js";
import { cairnVersion } from "../platform/version.js";
import type { CollectorDeps } from "./collector-deps.js";
import { collectorCorsHeaders } from "./cors.js";
import { resolveCollectorApp } from "./resolve-app.js";

export interface AgentScriptDeps extends Pick<CollectorDeps, "verifier" | "appKeys"> {
  /** Where the agent sends its beacons: this server's public URL. */
  readonly publicUrl: () => string;
}

/**
 * `GET /agent/static/:appKey/pendo.js`, the script the install snippet loads (pendo-api.md §1.1, §1.4): Cairn's
 * agent with the app's settings baked in. Any origin may load it (a `<script>` sends none, and it holds only
 * public settings); the beacons it sends are where allowed origins are enforced.
 */
export function registerAgentScriptRoute(app: CairnApp, deps: AgentScriptDeps): void {
  const loadAgent = bundleLoader(agentBundlePath);
  const loadPanel = bundleLoader(feedbackPanelBundlePath);
  const loadGuides = bundleLoader(guidesBundlePath);

  app.get<{ Params: { appKey: string } }>("/agent/static/:appKey/pendo.js", async (request, reply) => {
    reply.headers(collectorCorsHeaders);
    const { appKey } = request.params;
    const resolved = await resolveCollectorApp(deps, request, appKey, { anyOrigin: true });
    const script = renderAgent(await loadAgent(), {
      apiKey: appKey.toLowerCase(),
      dataHost: deps.publicUrl().replace(/\/+$/, ""),
      version: `${cairnVersion}_cairn`,
      excludeAllText: true,
      ...(resolved.feedbackWidget ? { feedbackWidget: true } : {}),
      // The app requires a signed identity on events: the agent then adds the page's token to its beacons.
      ...(resolved.identity.mode === "panel_and_events" ? { signedEvents: true } : {}),
    });
    return sendScript(reply, script);
  });

  // The feedback panel, which the agent loads the first time a visitor opens it.
  app.get<{ Params: { appKey: string } }>(
    "/agent/static/:appKey/feedback-panel.js",
    async (request, reply) => {
      reply.headers(collectorCorsHeaders);
      const resolved = await resolveCollectorApp(deps, request, request.params.appKey, { anyOrigin: true });
      if (!resolved.feedbackWidget) throw new CairnError("feedback_widget_off");
      return sendScript(reply, await loadPanel());
    },
  );

  // The guides' bundle, which the agent loads once guide.json answers a guide (docs/guides.md).
  app.get<{ Params: { appKey: string } }>("/agent/static/:appKey/guides.js", async (request, reply) => {
    reply.headers(collectorCorsHeaders);
    await resolveCollectorApp(deps, request, request.params.appKey, { anyOrigin: true });
    return sendScript(reply, await loadGuides());
  });
}

/** Reads a bundle once; a missing one (not built) is `agent_unavailable`, and read again on the next request. */
function bundleLoader(file: string): () => Promise<string> {
  let bundle: Promise<string> | null = null;
  return () => {
    bundle ??= readFile(file, "utf8").catch(() => {
      bundle = null;
      throw new CairnError("agent_unavailable");
    });
    return bundle;
  };
}

function sendScript(reply: FastifyReply, script: string): FastifyReply {
  return reply
    .type("application/javascript; charset=utf-8")
    .header("cache-control", "public, max-age=300")
    .header("x-content-type-options", "nosniff")
    .send(script);
}
