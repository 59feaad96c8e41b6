import type { Kysely, Selectable, Transaction } from "kysely";
import type { Actor } from "../../../access/audit/actor.js";
import { CairnError } from "../../../platform/errors/cairn-error.js";
import { newId } from "../../../platform/ids/new-id.js";
import type { FeaturesTable, MetadataSchema } from "../../../store/metadata/metadata-schema.js";
import { appForWrite } from "../shared/app-of.js";
import { checkedName, isUniqueViolation } from "../shared/input-checks.js";
import type { ObjectFilter } from "../shared/object-filter.js";
import { pendoUsersOf } from "../shared/pendo-user.js";
import { checkNameFree, taggedNameTaken, taggedNotFound } from "../shared/tagged-object-errors.js";
import { taggingLimits } from "../shared/tagging-limits.js";
import { recordTaggingChange } from "../shared/tagging-revision.js";
import { featureShape, type PendoFeature } from "./feature-shape.js";
import { compileSelector, selectorCompilerVersion } from "./selector.js";

type Db = Kysely<MetadataSchema>;
type Trx = Transaction<MetadataSchema>;

/** What a create or an update carries; an update changes only the fields given. */
export interface FeatureInput {
  readonly name?: string;
  readonly appId?: string | null;
  readonly elementPathRules?: readonly string[];
  readonly pageId?: string | null;
  readonly appWide?: boolean;
}

/** The selectors trimmed, each compiled; the regexes of all of them, one inner list per alternative. */
export function compiledSelectors(selectors: readonly string[]): { rules: string[]; compiled: string[][] } {
  if (selectors.length === 0) {
    throw new CairnError("bad_request", {
      message: 'A feature needs at least one selector (elementPathRules), such as "button#save".',
    });
  }
  if (selectors.length > taggingLimits.selectorsPerFeature) {
    throw new CairnError("bad_request", {
      message: `A feature has at most ${taggingLimits.selectorsPerFeature} selectors; this one has ${selectors.length}.`,
    });
  }
  const rules = selectors.map((s) => s.trim());
  return { rules, compiled: rules.flatMap((rule) => compileSelector(rule)) };
}

async function shaped(db: Db | Trx, rows: readonly Selectable<FeaturesTable>[]): Promise<PendoFeature[]> {
  const userOf = await pendoUsersOf(
    db,
    rows.flatMap((r) => [r.created_by, r.updated_by]),
  );
  return rows.map((row) => featureShape(row, userOf));
}

async function findRow(db: Db | Trx, subscriptionId: string, id: string): Promise<Selectable<FeaturesTable>> {
  const row = await db
    .selectFrom("features")
    .selectAll()
    .where("id", "=", id)
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirst();
  if (!row) throw taggedNotFound("features", id);
  return row;
}

/** The page a feature is tagged on: the subscription's, and of the feature's app. */
async function pageOf(
  trx: Db | Trx,
  subscriptionId: string,
  pageId: string,
): Promise<{ id: string; app_id: string }> {
  const page = await trx
    .selectFrom("pages")
    .select(["id", "app_id"])
    .where("id", "=", pageId)
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirst();
  if (!page) {
    throw new CairnError("bad_request", {
      message: `No page ${JSON.stringify(pageId.slice(0, 100))} in this subscription (pageId).`,
    });
  }
  return page;
}

/**
 * The app and page a new feature is tagged in: the page named (the subscription's, else a 400), and the app
 * named, else the page's, else the default app; a page of another app is a 400.
 */
export async function featurePlace(
  db: Db | Trx,
  subscriptionId: string,
  input: { readonly appId?: string | null; readonly pageId?: string | null },
): Promise<{ appId: string; pageId: string | null }> {
  const pageId = input.pageId ?? null;
  const page = pageId === null ? null : await pageOf(db, subscriptionId, pageId);
  const appId = await appForWrite(db, subscriptionId, input.appId ?? page?.app_id);
  if (page && page.app_id !== appId) {
    throw new CairnError("bad_request", {
      message: `Page ${page.id} belongs to app ${page.app_id}, not ${appId}; a feature is tagged on a page of its own app.`,
    });
  }
  return { appId, pageId };
}

/** app_wide as stored: a feature without a page counts everywhere; with one, only there unless appWide. */
function appWideOf(
  pageId: string | null,
  appWide: boolean | undefined,
  current: boolean | undefined,
): number {
  if (pageId === null) {
    if (appWide === false) {
      throw new CairnError("bad_request", {
        message:
          "A feature without a pageId counts on every page (appWide); give a pageId to restrict it to one page.",
      });
    }
    return 1;
  }
  return (appWide ?? current ?? false) ? 1 : 0;
}

/** Creates a feature; with a pageId and no appId it belongs to the page's app. */
export async function createFeature(
  db: Db,
  subscriptionId: string,
  input: FeatureInput,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoFeature> {
  const name = checkedName("feature", input.name ?? "");
  const { rules, compiled } = compiledSelectors(input.elementPathRules ?? []);
  return db.transaction().execute(async (trx) => {
    const { appId, pageId } = await featurePlace(trx, subscriptionId, input);
    const at = now.toISOString();
    const row: FeaturesTable = {
      id: newId("feat"),
      subscription_id: subscriptionId,
      app_id: appId,
      name,
      page_id: pageId,
      app_wide: appWideOf(pageId, input.appWide, undefined),
      element_path_rules: JSON.stringify(rules),
      compiled: JSON.stringify(compiled),
      compiler: selectorCompilerVersion,
      created_at: at,
      created_by: actor.id,
      updated_at: at,
      updated_by: actor.id,
    };
    await checkNameFree(trx, "features", row);
    try {
      await trx.insertInto("features").values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw taggedNameTaken("features", name, "created just now");
      throw error;
    }
    await recordTaggingChange(trx, {
      subscriptionId,
      actor,
      action: "feature.created",
      target: row.id,
      detail: { name, appId, pageId, appWide: row.app_wide === 1, elementPathRules: rules },
      at: now,
    });
    return (await shaped(trx, [row]))[0] as PendoFeature;
  });
}

/** Changes the fields given; a feature's app cannot change. */
export async function updateFeature(
  db: Db,
  subscriptionId: string,
  id: string,
  input: FeatureInput,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoFeature> {
  const name = input.name === undefined ? undefined : checkedName("feature", input.name);
  const selectors =
    input.elementPathRules === undefined ? undefined : compiledSelectors(input.elementPathRules);
  return db.transaction().execute(async (trx) => {
    const old = await findRow(trx, subscriptionId, id);
    if (input.appId !== undefined && input.appId !== null && input.appId !== old.app_id) {
      throw new CairnError("bad_request", {
        message: `Feature ${id} belongs to app ${old.app_id}; a feature's app cannot change (create it in the other app).`,
      });
    }
    const pageId = input.pageId === undefined ? old.page_id : input.pageId;
    if (pageId !== null && pageId !== old.page_id) {
      const page = await pageOf(trx, subscriptionId, pageId);
      if (page.app_id !== old.app_id) {
        throw new CairnError("bad_request", {
          message: `Page ${page.id} belongs to app ${page.app_id}, not ${old.app_id}; a feature is tagged on a page of its own app.`,
        });
      }
    }
    // Selectors stored by another compiler version are compiled again, so the row holds one version's regexes.
    const recompiled =
      selectors ??
      (old.compiler === selectorCompilerVersion
        ? null
        : compiledSelectors(JSON.parse(old.element_path_rules)));
    const row: Selectable<FeaturesTable> = {
      ...old,
      name: name ?? old.name,
      page_id: pageId,
      app_wide: appWideOf(pageId, input.appWide, old.page_id === null ? undefined : old.app_wide === 1),
      element_path_rules: recompiled ? JSON.stringify(recompiled.rules) : old.element_path_rules,
      compiled: recompiled ? JSON.stringify(recompiled.compiled) : old.compiled,
      compiler: selectorCompilerVersion,
      updated_at: now.toISOString(),
      updated_by: actor.id,
    };
    await checkNameFree(trx, "features", row);
    try {
      await trx.updateTable("features").set(row).where("id", "=", id).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw taggedNameTaken("features", row.name, "changed just now");
      throw error;
    }
    await recordTaggingChange(trx, {
      subscriptionId,
      actor,
      action: "feature.updated",
      target: id,
      detail: { changed: Object.keys(input).filter((k) => k !== "appId") },
      at: now,
    });
    return (await shaped(trx, [row]))[0] as PendoFeature;
  });
}

export async function deleteFeature(
  db: Db,
  subscriptionId: string,
  id: string,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoFeature> {
  return db.transaction().execute(async (trx) => {
    const row = await findRow(trx, subscriptionId, id);
    const shape = (await shaped(trx, [row]))[0] as PendoFeature;
    await trx.deleteFrom("features").where("id", "=", id).execute();
    await recordTaggingChange(trx, {
      subscriptionId,
      actor,
      action: "feature.deleted",
      target: id,
      detail: { name: row.name, appId: row.app_id },
      at: now,
    });
    return shape;
  });
}

export async function getFeature(db: Db, subscriptionId: string, id: string): Promise<PendoFeature> {
  return (await shaped(db, [await findRow(db, subscriptionId, id)]))[0] as PendoFeature;
}

/** The subscription's features the filter admits, oldest first. */
export async function listFeatures(
  db: Db,
  subscriptionId: string,
  filter: ObjectFilter,
): Promise<PendoFeature[]> {
  if (filter.appIds?.length === 0 || filter.ids?.length === 0) return [];
  const rows = await db
    .selectFrom("features")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .$if(filter.appIds !== null, (q) => q.where("app_id", "in", filter.appIds as string[]))
    .$if(filter.ids !== null, (q) => q.where("id", "in", filter.ids as string[]))
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return shaped(db, rows);
}
