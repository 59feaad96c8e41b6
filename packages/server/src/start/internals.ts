/**
 * `@cairn/server/internals`: the pieces Cairn's own benchmarks and whole-system tests reach past the public
 * surface for (the agent's wire encoding, the stores, a route to twin, key creation). No stability promise.
 */
export { createKey, setIntegrationKeysEnabled } from "../access/keys/key-service.js";
export type { VerifiedKey } from "../access/keys/key-verifier.js";
export { collectorCorsHeaders, transparentGif } from "../collect/cors.js";
export { decodeJzb, encodeJzb } from "../collect/jzb.js";
export { createGuide, setGuideState } from "../guides/guide-service.js";
export { registerProfileRoutes } from "../query/profiles/profile-routes.js";
export { createSegment } from "../query/segments/segment-service.js";
export { countEvents, readEvents } from "../store/events/event-reads.js";
export { eventRowsNdjson, rowsBytes } from "../store/events/event-rows.js";
export type { StoredEvent } from "../store/events/stored-event.js";
export {
  openEventStores,
  openMetadataStore,
  openProfileStore,
  profilesTargetOf,
} from "../store/open-stores.js";
