import type { EventQuery } from "../../store/events/event-query.js";
import type { ProfileMirror } from "../../store/events/profile-mirror.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import type { ProfileStore } from "../../store/profiles/profile-store.js";
import { segmentVisitorIds } from "../segments/segment-service.js";
import { discoverTrackTypes, loadDefinitions } from "../tagging/definitions.js";
import { loadGuideDefinitions } from "./guide-definitions.js";
import type { AggregationDeps } from "./run/run-aggregation.js";

/**
 * What running an aggregation needs, wired from the server's stores: the tagging definitions (track types
 * discovered first when the pipeline reads them; guides when it lists them), the profile mirror's sync, and the segments' visitors. One for the v1 API, the admin API and `cairn query`.
 */
export function aggregationDeps(deps: {
  metadata: MetadataStore;
  events: EventQuery;
  profiles: ProfileStore;
  profileMirror: ProfileMirror;
}): AggregationDeps {
  return {
    metadata: deps.metadata,
    events: deps.events,
    definitions: async (subscriptionId, sources) => {
      if (sources.has("trackEvents") || sources.has("trackTypes"))
        await discoverTrackTypes(deps.metadata, deps.events, subscriptionId);
      const tagging = await loadDefinitions(deps.metadata, subscriptionId);
      // Guides are read fresh, and only for a pipeline that lists them: they are not under the tagging cache.
      if (!sources.has("guides")) return tagging;
      return { ...tagging, guides: await loadGuideDefinitions(deps.metadata.db, subscriptionId) };
    },
    syncProfiles: () => deps.profileMirror.sync(deps.profiles),
    segmentVisitors: (subscriptionId, segmentId) =>
      segmentVisitorIds(deps.metadata.db, subscriptionId, segmentId),
  };
}
