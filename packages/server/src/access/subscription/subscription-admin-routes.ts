import type { CairnApp } from "../../platform/http/cairn-app.js";
import { subscriptionSettings } from "../admin-answers.js";
import type { AdminRouteDeps } from "../admin-route-deps.js";
import { sessionOf } from "../sessions/session-guard.js";
import { subscriptionChange } from "./subscription-change.js";
import { updateSubscriptionSettings } from "./subscription-settings.js";

/** `PATCH /api/admin/subscription`: the owner changes the subscription's settings and gets them back. */
export function registerSubscriptionAdminRoutes(
  app: CairnApp,
  deps: Pick<AdminRouteDeps, "metadata" | "requireSession">,
): void {
  const db = deps.metadata.db;

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
