import type { Kysely, Selectable, Transaction } from "kysely";
import type { Actor } from "../../../access/audit/actor.js";
import { CairnError } from "../../../platform/errors/cairn-error.js";
import { newId } from "../../../platform/ids/new-id.js";
import type { MetadataSchema, PagesTable } from "../../../store/metadata/metadata-schema.js";
import { appForWrite } from "../shared/app-of.js";
import { checkedName, isUniqueViolation } from "../shared/input-checks.js";
import type { ObjectFilter } from "../shared/object-filter.js";
import { pendoUsersOf } from "../shared/pendo-user.js";
import { checkNameFree, taggedNameTaken, taggedNotFound } from "../shared/tagged-object-errors.js";
import { taggingLimits } from "../shared/tagging-limits.js";
import { recordTaggingChange } from "../shared/tagging-revision.js";
import { compilePageRule, pageRuleCompilerVersion } from "./page-rule.js";
import { type PendoPage, pageShape, type StoredPageRule } from "./page-shape.js";

type Db = Kysely<MetadataSchema>;
type Trx = Transaction<MetadataSchema>;

/** A rule as a caller gives it: the rule text, or Pendo's `{rule, designerHint}` (a `parsedRule` is ignored). */
export type PageRuleInput = string | { readonly rule: string; readonly designerHint?: string | null };

/** What a create or an update carries; an update changes only the fields given. */
export interface PageInput {
  readonly name?: string;
  readonly appId?: string | null;
  readonly rules?: readonly PageRuleInput[];
  readonly excludeRules?: readonly PageRuleInput[];
}

/** Rules as stored: each trimmed and compiled; a 400 naming what is wrong (too many, a rule that does not compile). */
export function compiledRules(
  what: "rules" | "excludeRules",
  rules: readonly PageRuleInput[],
): StoredPageRule[] {
  if (rules.length > taggingLimits.rulesPerPage) {
    throw new CairnError("bad_request", {
      message: `A page has at most ${taggingLimits.rulesPerPage} ${what}; this one has ${rules.length}.`,
    });
  }
  return rules.map((given) => {
    const rule = (typeof given === "string" ? given : given.rule).trim();
    const designerHint = typeof given === "string" ? null : (given.designerHint ?? null);
    if (designerHint !== null && designerHint.length > taggingLimits.designerHintLength) {
      throw new CairnError("bad_request", {
        message: `A rule's designerHint has at most ${taggingLimits.designerHintLength} characters; this one has ${designerHint.length}.`,
      });
    }
    return { rule, designerHint, regexes: compilePageRule(rule) };
  });
}

/** A page's include rules, compiled: at least one. */
export function includeRules(rules: readonly PageRuleInput[]): StoredPageRule[] {
  const compiled = compiledRules("rules", rules);
  if (compiled.length === 0) {
    throw new CairnError("bad_request", {
      message: 'A page needs at least one rule, such as "//*/dashboard".',
    });
  }
  return compiled;
}

async function shaped(db: Db | Trx, rows: readonly Selectable<PagesTable>[]): Promise<PendoPage[]> {
  const userOf = await pendoUsersOf(
    db,
    rows.flatMap((r) => [r.created_by, r.updated_by]),
  );
  return rows.map((row) => pageShape(row, userOf));
}

async function findRow(db: Db | Trx, subscriptionId: string, id: string): Promise<Selectable<PagesTable>> {
  const row = await db
    .selectFrom("pages")
    .selectAll()
    .where("id", "=", id)
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirst();
  if (!row) throw taggedNotFound("pages", id);
  return row;
}

/** Creates a page in the app named (default: the subscription's default app); every rule is compiled first. */
export async function createPage(
  db: Db,
  subscriptionId: string,
  input: PageInput,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoPage> {
  const name = checkedName("page", input.name ?? "");
  const rules = includeRules(input.rules ?? []);
  const excludeRules = compiledRules("excludeRules", input.excludeRules ?? []);
  return db.transaction().execute(async (trx) => {
    const at = now.toISOString();
    const row: PagesTable = {
      id: newId("page"),
      subscription_id: subscriptionId,
      app_id: await appForWrite(trx, subscriptionId, input.appId),
      name,
      rules: JSON.stringify(rules),
      exclude_rules: JSON.stringify(excludeRules),
      compiler: pageRuleCompilerVersion,
      created_at: at,
      created_by: actor.id,
      updated_at: at,
      updated_by: actor.id,
    };
    await checkNameFree(trx, "pages", row);
    try {
      await trx.insertInto("pages").values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw taggedNameTaken("pages", name, "created just now");
      throw error;
    }
    await recordTaggingChange(trx, {
      subscriptionId,
      actor,
      action: "page.created",
      target: row.id,
      detail: {
        name,
        appId: row.app_id,
        rules: rules.map((r) => r.rule),
        excludeRules: excludeRules.map((r) => r.rule),
      },
      at: now,
    });
    return (await shaped(trx, [row]))[0] as PendoPage;
  });
}

/** Changes the fields given; a page's app cannot change. */
export async function updatePage(
  db: Db,
  subscriptionId: string,
  id: string,
  input: PageInput,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoPage> {
  const name = input.name === undefined ? undefined : checkedName("page", input.name);
  const rules = input.rules === undefined ? undefined : includeRules(input.rules);
  const excludeRules =
    input.excludeRules === undefined ? undefined : compiledRules("excludeRules", input.excludeRules);
  return db.transaction().execute(async (trx) => {
    const old = await findRow(trx, subscriptionId, id);
    if (input.appId !== undefined && input.appId !== null && input.appId !== old.app_id) {
      throw new CairnError("bad_request", {
        message: `Page ${id} belongs to app ${old.app_id}; a page's app cannot change (create the page in the other app).`,
      });
    }
    const row: Selectable<PagesTable> = {
      ...old,
      name: name ?? old.name,
      rules: rules === undefined ? old.rules : JSON.stringify(rules),
      exclude_rules: excludeRules === undefined ? old.exclude_rules : JSON.stringify(excludeRules),
      compiler: pageRuleCompilerVersion,
      updated_at: now.toISOString(),
      updated_by: actor.id,
    };
    // Rules stored by another compiler version are compiled again, so the row holds one version's regexes.
    if (rules === undefined && old.compiler !== pageRuleCompilerVersion)
      row.rules = JSON.stringify(includeRules(JSON.parse(old.rules)));
    if (excludeRules === undefined && old.compiler !== pageRuleCompilerVersion) {
      row.exclude_rules = JSON.stringify(compiledRules("excludeRules", JSON.parse(old.exclude_rules)));
    }
    await checkNameFree(trx, "pages", row);
    try {
      await trx.updateTable("pages").set(row).where("id", "=", id).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw taggedNameTaken("pages", row.name, "changed just now");
      throw error;
    }
    await recordTaggingChange(trx, {
      subscriptionId,
      actor,
      action: "page.updated",
      target: id,
      detail: { changed: Object.keys(input).filter((k) => k !== "appId") },
      at: now,
    });
    return (await shaped(trx, [row]))[0] as PendoPage;
  });
}

/** Deletes a page; one that features are tagged on is refused (409) until they move or go. */
export async function deletePage(
  db: Db,
  subscriptionId: string,
  id: string,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoPage> {
  return db.transaction().execute(async (trx) => {
    const row = await findRow(trx, subscriptionId, id);
    const features = await trx
      .selectFrom("features")
      .select("id")
      .where("page_id", "=", id)
      .limit(6)
      .execute();
    if (features.length > 0) {
      const listed = features
        .slice(0, 5)
        .map((f) => f.id)
        .join(", ");
      throw new CairnError("conflict", {
        message: `Features are tagged on page ${id} (${listed}${features.length > 5 ? ", …" : ""}); delete them or give them another page first.`,
      });
    }
    const shape = (await shaped(trx, [row]))[0] as PendoPage;
    await trx.deleteFrom("pages").where("id", "=", id).execute();
    await recordTaggingChange(trx, {
      subscriptionId,
      actor,
      action: "page.deleted",
      target: id,
      detail: { name: row.name, appId: row.app_id },
      at: now,
    });
    return shape;
  });
}

export async function getPage(db: Db, subscriptionId: string, id: string): Promise<PendoPage> {
  return (await shaped(db, [await findRow(db, subscriptionId, id)]))[0] as PendoPage;
}

/** The subscription's pages the filter admits, oldest first. */
export async function listPages(db: Db, subscriptionId: string, filter: ObjectFilter): Promise<PendoPage[]> {
  if (filter.appIds?.length === 0 || filter.ids?.length === 0) return [];
  const rows = await db
    .selectFrom("pages")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .$if(filter.appIds !== null, (q) => q.where("app_id", "in", filter.appIds as string[]))
    .$if(filter.ids !== null, (q) => q.where("id", "in", filter.ids as string[]))
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return shaped(db, rows);
}
