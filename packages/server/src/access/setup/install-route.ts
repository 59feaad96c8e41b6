import { Type } from "@sinclair/typebox";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { AdminRouteDeps } from "../admin-route-deps.js";
import { adminIdParams, noAdminQuery } from "../admin-schemas.js";
import { listApps } from "../apps/app-service.js";
import { sessionOf } from "../sessions/session-guard.js";
import { requirePermission } from "../users/permissions.js";
import { installSnippet } from "./install-snippet.js";

const installAnswer = Type.Object({
  appKey: Type.String({ description: "The app's public app key, as the snippet holds it." }),
  snippet: Type.String({
    description: "The install snippet for the page's `<head>`, with this server's address.",
  }),
  agentUrl: Type.String({ description: "Where the snippet loads the agent from." }),
});

/** `GET /api/admin/apps/:id/install`: what Install Settings shows: the app key and its snippet (any role). */
export function registerInstallRoute(app: CairnApp, deps: AdminRouteDeps): void {
  app.get(
    "/api/admin/apps/:id/install",
    {
      preHandler: deps.requireSession,
      schema: {
        summary: "An app's install snippet",
        params: adminIdParams,
        querystring: noAdminQuery,
        response: { 200: installAnswer },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "apps.read");
      const found = (await listApps(deps.metadata.db, session.subscriptionId)).find(
        (candidate) => candidate.id === request.params.id,
      );
      if (!found) throw new CairnError("not_found", { message: `There is no app ${request.params.id}.` });
      const publicUrl = deps.publicUrl();
      return {
        appKey: found.appKey,
        snippet: installSnippet(publicUrl, found.appKey),
        agentUrl: `${publicUrl}/agent/static/${found.appKey}/pendo.js`,
      };
    },
  );
}
