import { registerExcludeV1Routes } from "../access/exclude/exclude-v1-routes.js";
import { keyGuard } from "../access/keys/key-guard.js";
import type { KeyVerifier } from "../access/keys/key-verifier.js";
import { registerTokenVerify } from "../access/keys/verify-route.js";
import { registerDoNotProcessRoute } from "../access/privacy/do-not-process-route.js";
import { registerGuideV1Routes } from "../guides/guide-v1-routes.js";
import { registerBulkDeleteRoutes } from "../ingest/deletion/bulk-delete-routes.js";
import type { IngestWriter } from "../ingest/ingest-writer.js";
import { registerMetadataRoutes } from "../ingest/metadata-api/metadata-routes.js";
import { documentArea } from "../platform/http/api-areas.js";
import type { CairnApp } from "../platform/http/cairn-app.js";
import { acceptUnreadQuery } from "../platform/http/unread-query.js";
import { aggregationDeps } from "../query/aggregation/aggregation-deps.js";
import { registerAggregationRoute } from "../query/aggregation/aggregation-route.js";
import { registerMetadataSchemaRoute } from "../query/profiles/metadata-schema-route.js";
import { registerProfileQueryRoutes } from "../query/profiles/profile-query-routes.js";
import { registerProfileRoutes } from "../query/profiles/profile-routes.js";
import { registerReportV1Routes } from "../query/reports/report-v1-routes.js";
import { registerSegmentV1Routes } from "../query/segments/segment-v1-routes.js";
import { registerTaggingV1 } from "../query/tagging/register-tagging.js";
import type { EventQuery } from "../store/events/event-query.js";
import type { EventSink } from "../store/events/event-sink.js";
import type { ProfileMirror } from "../store/events/profile-mirror.js";
import type { MetadataStore } from "../store/metadata/metadata-store.js";
import type { ProfileStore } from "../store/profiles/profile-store.js";

/**
 * Pendo's v1 routes that take an integration key, in their own context. The guard runs at onRequest, before
 * the body is read: a read-only key gets 403 insufficient_scope on any write method whatever it sent.
 */
export function registerIntegrationApi(
  app: CairnApp,
  deps: {
    metadata: MetadataStore;
    verifier: KeyVerifier;
    profiles: ProfileStore;
    writer: IngestWriter;
    events: EventQuery;
    sink: EventSink;
    profileMirror: ProfileMirror;
  },
): void {
  app.register(async (v1: CairnApp) => {
    documentArea(v1, "v1");
    // Clients add parameters a read does not use (`length`, `limit`, `offset`): ignored, never refused.
    acceptUnreadQuery(v1);
    v1.addHook("onRequest", keyGuard(deps.verifier, deps.metadata, "v1"));
    // `curl --data-raw '"pro"'`, as Pendo's documentation writes a PUT, sends form-encoded JSON: read it as JSON.
    v1.addContentTypeParser(
      ["application/x-www-form-urlencoded", "text/plain"],
      { parseAs: "string" },
      v1.getDefaultJsonParser("error", "error"),
    );
    registerTokenVerify(v1);
    registerProfileRoutes(v1, deps);
    registerMetadataSchemaRoute(v1, deps);
    registerDoNotProcessRoute(v1, deps);
    registerMetadataRoutes(v1, deps);
    registerTaggingV1(v1, deps);
    registerSegmentV1Routes(v1, deps);
    registerExcludeV1Routes(v1, deps);
    registerGuideV1Routes(v1, deps);
    const aggregation = aggregationDeps(deps);
    registerAggregationRoute(v1, aggregation);
    registerReportV1Routes(v1, aggregation);
    registerProfileQueryRoutes(v1, { ...deps, aggregation });
    registerBulkDeleteRoutes(v1, { ...deps, flushIngest: () => deps.writer.flush() });
  });
}
