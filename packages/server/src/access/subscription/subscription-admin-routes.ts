import type { CairnApp } from "../../platform/http/cairn-app.js";
import { subscriptionSettings } from "../admin-answers.js";
import type { AdminRouteDeps } from "../admin-route-deps.js";
import { noAdminQuery } from "../admin-schemas.js";
import { sessionOf } from "../sessions/session-guard.js";
import { subscriptionChange } from "./subscription-change.js";
import { subscriptionSettingsOf, updateSubscriptionSettings } from "./subscription-settings.js";

/**
 * `GET /api/admin/subscription`: every signed-in user reads the settings (the web app shows what is on);
 * `PATCH`: the owner changes them and gets them back.
 */
export function registerSubscriptionAdminRoutes(
  app: CairnApp,
  deps: Pick<AdminRouteDeps, "metadata" | "requireSession">,
): void {
  const db = deps.metadata.db;

  app.get(
    "/api/admin/subscription",
    {
      preHandler: deps.requireSession,
      schema: {
        summary: "Read the subscription's settings",
        querystring: noAdminQuery,
        response: { 200: subscriptionSettings },
      },
    },
    async (request) => subscriptionSettingsOf(db, sessionOf(request).subscriptionId),
  );

  app.patch(
    "/api/admin/subscription",
    {
      preHandler: deps.requireSession,
      schema: {
        summary: "Change the subscription's settings (owner)",
        body: subscriptionChange,
        response: { 200: subscriptionSettings },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      return updateSubscriptionSettings(db, session.subscriptionId, request.body, {
        user: session.user,
        ip: request.ip,
      });
    },
  );
}
