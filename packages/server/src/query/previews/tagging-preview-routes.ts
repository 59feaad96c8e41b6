import { Type } from "@sinclair/typebox";
import type { AdminRouteDeps } from "../../access/admin-route-deps.js";
import { sessionOf } from "../../access/sessions/session-guard.js";
import { requirePermission } from "../../access/users/permissions.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { strictValidatorCompiler } from "../../platform/http/lazy-validators.js";
import { isoTime } from "../../platform/http/schema-kit.js";
import type { AggregationDeps } from "../aggregation/run/run-aggregation.js";
import { maxSelectorLength } from "../tagging/features/selector.js";
import { maxPageRuleLength } from "../tagging/pages/page-rule.js";
import { previewDays, previewFeature, previewPage } from "./tagging-preview.js";

// Bounds as generous as the create bodies'; the services check the real ones with messages that name them.
const appId = Type.Optional(
  Type.String({ maxLength: 100, description: "default: the subscription's default app" }),
);
const pageRules = Type.Array(Type.String({ maxLength: maxPageRuleLength * 2 }), { maxItems: 200 });

const pagePreviewBody = Type.Object(
  { appId, rules: pageRules, excludeRules: Type.Optional(pageRules) },
  { additionalProperties: false },
);
const featurePreviewBody = Type.Object(
  {
    appId,
    selectors: Type.Array(Type.String({ maxLength: maxSelectorLength * 2 }), { maxItems: 100 }),
    pageId: Type.Optional(Type.String({ maxLength: 100, description: "count only clicks on this page" })),
  },
  { additionalProperties: false },
);
const previewAnswer = Type.Object({
  events: Type.Integer({ description: "matching events of the window, Exclude List applied" }),
  visitors: Type.Integer({ description: "distinct visitors of those events" }),
  from: isoTime(`the window's start: the start of the hour ${previewDays} days ago`),
  to: isoTime("the window's end: now"),
});

/**
 * `POST /api/admin/pages/preview` and `POST /api/admin/features/preview`: what an unsaved page rule or feature
 * selector would count over the last 30 days, retroactively, for the live count the tagging forms show. They
 * write nothing, so `tagging.read` (every role) is enough; a POST only for the body (the CSRF token is needed).
 */
export function registerTaggingPreviewRoutes(
  app: CairnApp,
  deps: { aggregation: AggregationDeps } & Pick<AdminRouteDeps, "requireSession">,
): void {
  const preHandler = deps.requireSession;
  const validatorCompiler = strictValidatorCompiler;
  const querystring = Type.Object({}, { additionalProperties: false });

  app.post(
    "/api/admin/pages/preview",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: `Count the page loads and visitors unsaved page rules match over the last ${previewDays} days`,
        querystring,
        body: pagePreviewBody,
        response: { 200: previewAnswer },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "tagging.read");
      return previewPage(deps.aggregation, session.subscriptionId, request.body);
    },
  );

  app.post(
    "/api/admin/features/preview",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: `Count the clicks and visitors unsaved feature selectors match over the last ${previewDays} days`,
        querystring,
        body: featurePreviewBody,
        response: { 200: previewAnswer },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "tagging.read");
      return previewFeature(deps.aggregation, session.subscriptionId, request.body);
    },
  );
}
