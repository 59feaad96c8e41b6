import type { AdminRouteDeps } from "../../access/admin-route-deps.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { featureApi } from "./features/feature-api.js";
import { pageApi } from "./pages/page-api.js";
import { registerAdminObjectRoutes } from "./shared/admin-object-routes.js";
import type { TaggingRouteDeps } from "./shared/tagged-object-api.js";
import { registerV1ObjectRoutes } from "./shared/v1-object-routes.js";
import { trackTypeApi } from "./track-types/track-type-api.js";

/** `/api/v1/page`, `/api/v1/feature`, `/api/v1/tracktype`, in the integration-key context. */
export function registerTaggingV1(app: CairnApp, deps: TaggingRouteDeps): void {
  registerV1ObjectRoutes(app, deps, pageApi);
  registerV1ObjectRoutes(app, deps, featureApi);
  registerV1ObjectRoutes(app, deps, trackTypeApi);
}

/** `/api/admin/pages`, `/api/admin/features`, `/api/admin/track-types`, in the admin (session) context. */
export function registerTaggingAdmin(
  app: CairnApp,
  deps: TaggingRouteDeps & Pick<AdminRouteDeps, "requireSession">,
): void {
  registerAdminObjectRoutes(app, deps, pageApi);
  registerAdminObjectRoutes(app, deps, featureApi);
  registerAdminObjectRoutes(app, deps, trackTypeApi);
}
