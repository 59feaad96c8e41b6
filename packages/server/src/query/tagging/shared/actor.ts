import type { Actor } from "../../../access/audit/actor.js";

/** What discovery writes as the creator of the track types it finds in the events. */
export const discoveryActor: Actor = { id: "discovery" };
