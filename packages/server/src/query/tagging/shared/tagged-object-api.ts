import type { Static, TObject } from "@sinclair/typebox";
import type { Kysely } from "kysely";
import type { Actor } from "../../../access/audit/actor.js";
import type { EventQuery } from "../../../store/events/event-query.js";
import type { MetadataSchema } from "../../../store/metadata/metadata-schema.js";
import type { MetadataStore } from "../../../store/metadata/metadata-store.js";
import type { ObjectFilter } from "./object-filter.js";

type Db = Kysely<MetadataSchema>;

/** What the tagging routes need from the server. */
export interface TaggingRouteDeps {
  readonly metadata: MetadataStore;
  readonly events: EventQuery;
}

/** One kind of tagged object as both surfaces (v1 and admin) serve it. */
export interface TaggedObjectApi<Create extends TObject, Update extends TObject> {
  /** Pendo's path under /api/v1: `page`, `feature`, `tracktype`. */
  readonly v1Path: string;
  /** The admin API's path under /api/admin, also the key of its list answer: `pages`, `features`, `track-types`. */
  readonly adminPath: string;
  readonly listKey: string;
  /** Its answer's schema, and its name in route summaries (`page`, `feature`, `track type`). */
  readonly objectSchema: TObject;
  readonly noun: string;
  readonly createBody: Create;
  readonly updateBody: Update;
  /** Runs before a list (track types are discovered from the events first). */
  beforeList?(deps: TaggingRouteDeps, subscriptionId: string): Promise<unknown>;
  list(db: Db, subscriptionId: string, filter: ObjectFilter): Promise<unknown[]>;
  get(db: Db, subscriptionId: string, id: string): Promise<unknown>;
  create(db: Db, subscriptionId: string, body: Static<Create>, actor: Actor): Promise<unknown>;
  update(db: Db, subscriptionId: string, id: string, body: Static<Update>, actor: Actor): Promise<unknown>;
  remove(db: Db, subscriptionId: string, id: string, actor: Actor): Promise<unknown>;
}
