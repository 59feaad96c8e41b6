import type { Kysely } from "kysely";
import { CairnError } from "../../../platform/errors/cairn-error.js";
import type { MetadataSchema } from "../../../store/metadata/metadata-schema.js";
import { defaultAppOf } from "./app-of.js";
import { taggingLimits } from "./tagging-limits.js";

/** Which objects a list returns: those of some apps (null: every app), and only some ids (null: any). */
export interface ObjectFilter {
  readonly appIds: readonly string[] | null;
  readonly ids: readonly string[] | null;
}

export const everyObject: ObjectFilter = { appIds: null, ids: null };

/**
 * Pendo's list parameters: by default only the subscription's default app; `?expand=*` every app;
 * `?id=a,b` those ids, whatever their app. Other parameters (`limit`, `offset`…) are not read.
 */
export async function v1ListFilter(
  db: Kysely<MetadataSchema>,
  subscriptionId: string,
  query: { readonly expand?: string; readonly id?: string },
): Promise<ObjectFilter> {
  const ids = (query.id ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id !== "");
  if (ids.length > taggingLimits.idsPerRequest) {
    throw new CairnError("bad_request", {
      message: `?id= lists ${ids.length} ids; at most ${taggingLimits.idsPerRequest} at a time.`,
    });
  }
  if (ids.length > 0) return { appIds: null, ids };
  if (query.expand !== undefined && query.expand !== "*") {
    throw new CairnError("bad_request", {
      message: `?expand= takes "*" (every app of the subscription); got ${JSON.stringify(query.expand.slice(0, 50))}.`,
    });
  }
  if (query.expand === "*") return everyObject;
  const app = await defaultAppOf(db, subscriptionId);
  return { appIds: app === null ? [] : [app], ids: null };
}
