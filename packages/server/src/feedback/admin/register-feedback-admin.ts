import type { AdminRouteDeps } from "../../access/admin-route-deps.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { registerIdeaActivityAdminRoutes } from "./admin-idea-activity-routes.js";
import { registerIdeaAdminRoutes } from "./admin-idea-routes.js";

/** The Feedback board's routes in the admin API (`/api/admin/ideas…`); registered in the admin context. */
export function registerFeedbackAdminRoutes(
  app: CairnApp,
  deps: Pick<AdminRouteDeps, "metadata" | "requireSession">,
): void {
  registerIdeaAdminRoutes(app, deps);
  registerIdeaActivityAdminRoutes(app, deps);
}
