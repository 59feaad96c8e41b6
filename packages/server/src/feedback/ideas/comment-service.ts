import type { Kysely } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { newId } from "../../platform/ids/new-id.js";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { loadEndUsers, upsertEndUser, withEndUsers } from "../end-users/end-users.js";
import { enqueueWebhookEvent } from "../webhooks/webhook-outbox.js";
import { findLiveIdea } from "./find-idea.js";
import { auditIdeaChange } from "./idea-audit.js";
import type { AddCommentInput } from "./idea-inputs.js";
import { type FeedbackCaller, readIdea } from "./idea-service.js";
import type { Comment } from "./idea-shapes.js";
import { type Page, pageWindow } from "./page.js";

type Db = Kysely<MetadataSchema>;

export type { Comment } from "./idea-shapes.js";

export interface ListCommentsInput {
  readonly limit?: number;
  readonly start?: number;
  /** By creation time; oldest first unless `desc`. */
  readonly orderDir?: "asc" | "desc";
}

/** Adds an end user's comment to a live idea. */
export async function addComment(
  db: Db,
  caller: FeedbackCaller,
  ideaId: string,
  input: AddCommentInput,
  now: Date = new Date(),
): Promise<Comment> {
  if (input.text.trim().length === 0) {
    throw new CairnError("bad_request", { message: "A comment needs some text that is not only spaces." });
  }
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    await findLiveIdea(trx, caller.subscriptionId, ideaId);
    const endUserId = await upsertEndUser(trx, caller.subscriptionId, input.user, now, caller.endUserTrust);
    const id = newId("cmt");
    await trx
      .insertInto("feedback_comments")
      .values({
        id,
        idea_id: ideaId,
        end_user_id: endUserId,
        text: input.text,
        created_at: at,
        created_by_key: caller.keyId,
      })
      .execute();
    const user = (await loadEndUsers(trx, [endUserId])).get(endUserId);
    if (!user) throw new Error(`end user ${endUserId} vanished inside its own transaction`);
    const comment: Comment = { id, ideaId, user, text: input.text, createdAt: at };
    await auditIdeaChange(trx, caller, { action: "idea.commented", ideaId, at, detail: { commentId: id } });
    await enqueueWebhookEvent(
      trx,
      caller.subscriptionId,
      "feature_comment_created",
      async () => ({ ...(await readIdea(trx, caller.subscriptionId, ideaId)), comment }),
      at,
    );
    return comment;
  });
}

/** A page of the idea's comments. */
export async function listComments(
  db: Db,
  caller: FeedbackCaller,
  ideaId: string,
  input: ListCommentsInput,
): Promise<Page<Comment>> {
  await findLiveIdea(db, caller.subscriptionId, ideaId);
  const { limit, start } = pageWindow(input);
  const dir = input.orderDir ?? "asc";
  const total = await db
    .selectFrom("feedback_comments")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("idea_id", "=", ideaId)
    .executeTakeFirstOrThrow();
  const rows =
    limit === 0
      ? []
      : await db
          .selectFrom("feedback_comments")
          .selectAll()
          .where("idea_id", "=", ideaId)
          .orderBy("created_at", dir)
          .orderBy("id", dir)
          .limit(limit)
          .offset(start)
          .execute();
  const results = await withEndUsers(db, rows, (row, user) => ({
    id: row.id,
    ideaId,
    user,
    text: row.text,
    createdAt: row.created_at,
  }));
  return { results, total: Number(total.n), start, limit };
}
