import { webAppRoot } from "@cairn/web/serve";
import cookie from "@fastify/cookie";
import type { FastifyInstance } from "fastify";
import type { AppKeyCache } from "../access/apps/app-key-cache.js";
import { registerAppsAdminRoutes } from "../access/apps/apps-admin-routes.js";
import { registerAuditAdminRoutes } from "../access/audit/audit-admin-routes.js";
import { registerExcludeAdminRoutes } from "../access/exclude/exclude-admin-routes.js";
import type { ExcludeListCache } from "../access/exclude/exclude-list-cache.js";
import type { KeyVerifier } from "../access/keys/key-verifier.js";
import { registerKeysAdminRoutes } from "../access/keys/keys-admin-routes.js";
import type { DoNotProcessCache } from "../access/privacy/do-not-process-cache.js";
import { sessionGuard } from "../access/sessions/session-guard.js";
import { registerSessionRoutes } from "../access/sessions/session-routes.js";
import { createSignInLimits, type SignInLimitOptions } from "../access/sessions/sign-in-limits.js";
import { registerSignInPage } from "../access/sessions/sign-in-page.js";
import { registerInstallRoute } from "../access/setup/install-route.js";
import { registerSubscriptionAdminRoutes } from "../access/subscription/subscription-admin-routes.js";
import { registerUsersAdminRoutes } from "../access/users/users-admin-routes.js";
import { registerAgentConfigRoute } from "../collect/agent-config-route.js";
import { registerAgentScriptRoute } from "../collect/agent-script-route.js";
import { registerAgentSupportRoutes } from "../collect/agent-support-routes.js";
import { registerAgenticRoute } from "../collect/agentic-route.js";
import { registerBeaconRoutes } from "../collect/beacon-routes.js";
import {
  defaultPublicRateLimits,
  limitPublicRate,
  type PublicRateLimits,
} from "../collect/public-rate-limit.js";
import { registerTrackRoute } from "../collect/track-route.js";
import { registerFeedbackAdminRoutes } from "../feedback/admin/register-feedback-admin.js";
import { registerFeedbackClassicApi } from "../feedback/classic/register-feedback-classic.js";
import { registerFeedbackApi } from "../feedback/v1/register-feedback-api.js";
import type { WebhookPolicy } from "../feedback/webhooks/webhook-policy.js";
import type { WidgetLimits } from "../feedback/widget/widget-limits.js";
import { registerFeedbackWidgetRoutes } from "../feedback/widget/widget-routes.js";
import { registerAnchorCountRoute } from "../guides/anchor-count-route.js";
import type { GuideDelivery } from "../guides/delivery/guide-delivery.js";
import { registerGuideRoutes } from "../guides/delivery/guide-routes.js";
import { registerGuideAdminRoutes } from "../guides/guide-admin-routes.js";
import type { DropReason } from "../ingest/agent-event.js";
import type { IngestWriter } from "../ingest/ingest-writer.js";
import { registerApiDocs } from "../platform/api-docs/docs-routes.js";
import { documentArea } from "../platform/http/api-areas.js";
import { type CairnApp, typedApp } from "../platform/http/cairn-app.js";
import type { SharedCounts } from "../platform/limits/shared-counts.js";
import { registerAggregationAdminRoute } from "../query/aggregation/aggregation-admin-route.js";
import { aggregationDeps } from "../query/aggregation/aggregation-deps.js";
import { registerLastEventRoute } from "../query/last-event/last-event-route.js";
import { registerTaggingPreviewRoutes } from "../query/previews/tagging-preview-routes.js";
import { registerProfileAdminRoutes } from "../query/profiles/profile-admin-routes.js";
import { registerReportAdminRoutes } from "../query/reports/report-admin-routes.js";
import { registerSegmentAdminRoutes } from "../query/segments/segment-admin-routes.js";
import { registerTaggingAdmin } from "../query/tagging/register-tagging.js";
import type { EventQuery } from "../store/events/event-query.js";
import type { EventSink } from "../store/events/event-sink.js";
import type { ProfileMirror } from "../store/events/profile-mirror.js";
import type { MetadataStore } from "../store/metadata/metadata-store.js";
import type { ProfileStore } from "../store/profiles/profile-store.js";
import { registerIntegrationApi } from "./integration-api.js";
import { registerWebApp } from "./web-app-routes.js";

export interface RouteServices {
  readonly metadata: MetadataStore;
  readonly verifier: KeyVerifier;
  readonly writer: IngestWriter;
  /** Read by the v1 API; both written only through `writer`. */
  readonly events: EventQuery;
  /** Written only through `writer`, but for bulk deletions. */
  readonly sink: EventSink;
  readonly profiles: ProfileStore;
  /**
   * The profiles' copy in the event engine: a query that joins visitors or accounts onto events (or reads them
   * as a source) first calls `profileMirror.sync(profiles)`.
   */
  readonly profileMirror: ProfileMirror;
  readonly appKeys: AppKeyCache;
  readonly excludeList: ExcludeListCache;
  readonly guides: GuideDelivery;
  readonly rememberedBatches?: number;
  /** The limits' and the recent beacons' counts, shared with the other servers (none by default). */
  readonly sharedCounts?: SharedCounts;
  /** Visitors marked "do not process", whose server-side events are dropped. */
  readonly doNotProcess?: DoNotProcessCache;
  readonly drops: Map<DropReason, number>;
  /** Read when a request arrives: with port 0 it is known only once the server listens. */
  readonly publicUrl: () => string;
  /** Failed sign-ins allowed per client address per 15 minutes. */
  readonly signInLimits?: Partial<SignInLimitOptions>;
  /** Ideas and votes the in-app feedback panel may send per hour; the defaults when left out. */
  readonly widgetLimits?: WidgetLimits;
  /** Requests per second per app key and per address on the public-key endpoints (`CAIRN_PUBLIC_RATE_…`). */
  readonly publicRateLimits?: PublicRateLimits;
  /** Where webhooks may be registered to (the operator's `CAIRN_WEBHOOK_ALLOW…` settings). */
  readonly webhookPolicy: WebhookPolicy;
  /** The built web app's folder; `packages/web/dist` unless a test gives its own. */
  readonly webAppRoot?: string;
}

/** Every route that needs the stores; buildApp adds the ones that don't. */
export function registerRoutes(untyped: FastifyInstance, services: RouteServices): void {
  const app = typedApp(untyped);
  app.decorateRequest("cairnKey", null);
  app.decorateRequest("adminSession", null);
  registerIntegrationApi(app, services);
  registerFeedbackApi(app, services);
  registerFeedbackClassicApi(app, services);
  registerSignInPage(app);
  registerApiDocs(app);
  app.register(async (web: CairnApp) => registerWebApp(web, { root: services.webAppRoot ?? webAppRoot }));

  // The collector lives in its own context: its text/plain parser (sendBeacon) stays there.
  app.register(async (collector: CairnApp) => {
    // What anyone holding the public app key may call, limited per app key and per address.
    collector.register(async (publicKeyRoutes: CairnApp) => {
      limitPublicRate(
        publicKeyRoutes,
        services.publicRateLimits ?? defaultPublicRateLimits,
        services.sharedCounts,
      );
      registerBeaconRoutes(publicKeyRoutes, services);
      registerAgentSupportRoutes(publicKeyRoutes);
      registerGuideRoutes(publicKeyRoutes, services);
      registerFeedbackWidgetRoutes(publicKeyRoutes, services);
    });
    registerAgentScriptRoute(collector, services);
    registerAgentConfigRoute(collector, services);
    registerTrackRoute(collector, services);
    registerAgenticRoute(collector, services);
  });

  // The admin API lives in its own context, the only one that reads cookies.
  app.register(async (admin: CairnApp) => {
    documentArea(admin, "admin");
    await admin.register(cookie);
    const adminDeps = {
      metadata: services.metadata,
      publicUrl: services.publicUrl,
      requireSession: sessionGuard(services.metadata, services.publicUrl),
    };
    registerSessionRoutes(admin, {
      ...adminDeps,
      signInLimits: createSignInLimits(services.signInLimits, services.sharedCounts),
    });
    registerKeysAdminRoutes(admin, adminDeps);
    registerExcludeAdminRoutes(admin, adminDeps);
    registerAppsAdminRoutes(admin, adminDeps);
    registerInstallRoute(admin, adminDeps);
    registerUsersAdminRoutes(admin, adminDeps);
    registerAuditAdminRoutes(admin, adminDeps);
    registerSubscriptionAdminRoutes(admin, adminDeps);
    registerTaggingAdmin(admin, { ...adminDeps, events: services.events });
    registerGuideAdminRoutes(admin, adminDeps);
    registerAnchorCountRoute(admin, { ...adminDeps, webhookPolicy: services.webhookPolicy });
    registerFeedbackAdminRoutes(admin, adminDeps);
    const aggregation = aggregationDeps(services);
    const { requireSession } = adminDeps;
    registerReportAdminRoutes(admin, { ...aggregation, requireSession });
    registerAggregationAdminRoute(admin, { ...aggregation, requireSession });
    registerSegmentAdminRoutes(admin, { ...adminDeps, aggregation, profiles: services });
    registerProfileAdminRoutes(admin, { aggregation, profiles: services.profiles, requireSession });
    registerTaggingPreviewRoutes(admin, { aggregation, requireSession });
    registerLastEventRoute(admin, { ...adminDeps, events: services.events, writer: services.writer });
  });
}
