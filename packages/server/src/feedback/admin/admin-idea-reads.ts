import type { Kysely } from "kysely";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import type { Comment, Idea } from "../ideas/idea-shapes.js";
import type { AdminComment, AdminIdea } from "./admin-idea-schemas.js";

type Db = Kysely<MetadataSchema>;

/** The in-app panel records what it writes as `widget:<appId>` (widget-routes.ts). */
const panelPrefix = "widget:";

/** The ideas with where each came from: an app's in-app panel (with the app) or a Feedback key. */
export async function withOrigins(
  db: Db,
  subscriptionId: string,
  ideas: readonly Idea[],
): Promise<AdminIdea[]> {
  if (ideas.length === 0) return [];
  const rows = await db
    .selectFrom("feedback_ideas")
    .select(["id", "created_by_key"])
    .where(
      "id",
      "in",
      ideas.map((idea) => idea.id),
    )
    .where("subscription_id", "=", subscriptionId)
    .execute();
  const creators = new Map(rows.map((row) => [row.id, row.created_by_key]));
  const appIds = [...new Set(rows.flatMap((row) => appIdOf(row.created_by_key) ?? []))];
  const apps =
    appIds.length === 0
      ? []
      : await db
          .selectFrom("apps")
          .select(["id", "name"])
          .where("id", "in", appIds)
          .where("subscription_id", "=", subscriptionId)
          .execute();
  const appsById = new Map(apps.map((app) => [app.id, app]));
  return ideas.map((idea) => {
    const appId = appIdOf(creators.get(idea.id) ?? "");
    const app = appId === null ? undefined : appsById.get(appId);
    return {
      ...idea,
      source: appId === null ? "api" : "panel",
      app: app ? { id: app.id, name: app.name } : null,
    };
  });
}

function appIdOf(createdBy: string): string | null {
  return createdBy.startsWith(panelPrefix) ? createdBy.slice(panelPrefix.length) : null;
}

/** The comments with the signed-in user who wrote each through the admin API, if one did. */
export async function withTeamMembers(
  db: Db,
  subscriptionId: string,
  comments: readonly Comment[],
): Promise<AdminComment[]> {
  if (comments.length === 0) return [];
  const rows = await db
    .selectFrom("feedback_comments")
    .select(["id", "created_by_key"])
    .where(
      "id",
      "in",
      comments.map((comment) => comment.id),
    )
    .execute();
  const writers = new Map(rows.map((row) => [row.id, row.created_by_key]));
  // A removed user's comments keep their name.
  const users = await db
    .selectFrom("users")
    .select(["id", "name"])
    .where("id", "in", [...new Set(rows.map((row) => row.created_by_key))])
    .where("subscription_id", "=", subscriptionId)
    .execute();
  const usersById = new Map(users.map((user) => [user.id, user]));
  return comments.map((comment) => {
    const user = usersById.get(writers.get(comment.id) ?? "");
    return { ...comment, teamMember: user ? { id: user.id, name: user.name } : null };
  });
}

/** The offset an `after` cursor stands for (the schema admits only digits). */
export function startOf(after: string | undefined): number {
  return after === undefined ? 0 : Number(after);
}

/** The cursor of the page after one that started at `start` and held `count` of `total`; null after the last. */
export function nextCursor(start: number, count: number, total: number): string | null {
  return count > 0 && start + count < total ? String(start + count) : null;
}

/** One idea with where it came from. */
export async function withOrigin(db: Db, subscriptionId: string, idea: Idea): Promise<AdminIdea> {
  const [answer] = await withOrigins(db, subscriptionId, [idea]);
  if (!answer) throw new Error(`idea ${idea.id} has no origin`);
  return answer;
}

/** One comment with its team member, if any. */
export async function withTeamMember(
  db: Db,
  subscriptionId: string,
  comment: Comment,
): Promise<AdminComment> {
  const [answer] = await withTeamMembers(db, subscriptionId, [comment]);
  if (!answer) throw new Error(`comment ${comment.id} has no writer`);
  return answer;
}
