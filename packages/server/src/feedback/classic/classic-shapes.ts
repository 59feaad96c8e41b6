import type { DirectoryAccount, DirectoryUser } from "../end-users/end-user-directory.js";
import type { Comment } from "../ideas/comment-service.js";
import type { Idea } from "../ideas/idea-service.js";
import type { Tag } from "../ideas/tags.js";
import type { Vote } from "../ideas/vote-service.js";
import type { Hook } from "../webhooks/hook-service.js";

// Cairn's objects in Pendo Feedback's shapes (snake_case). Ids are Cairn's (`idea_…`, `eusr_…`, `eacc_…`)
// where Pendo has its numeric ids; a user named by a vote or an idea is named by the team's own id, the
// one POST /votes and POST /users take; a deleted one shows as null.

/** `tags` as the classic paths show them: as POST …/tags gave them (tag-service.ts featureTags). */
export function toFeature(idea: Idea, tags: readonly Tag[]) {
  return {
    id: idea.id,
    title: idea.title,
    description: idea.details,
    status: idea.status,
    status_changed_at: idea.statusChangedAt,
    created_at: idea.createdAt,
    updated_at: idea.updatedAt,
    created_by_user_id: idea.creator?.id ?? null,
    is_private: idea.private,
    merged_to_feature_id: idea.mergedInto,
    planned_at: idea.plannedAt,
    developing_at: idea.developingAt,
    released_at: idea.releasedAt,
    declined_at: idea.declinedAt,
    waiting_at: idea.waitingAt,
    tags,
    products: idea.productArea === null ? [] : [idea.productArea],
  };
}

export function toVote(vote: Vote) {
  return {
    feature_id: vote.ideaId,
    user_id: vote.user?.id ?? null,
    quantity: vote.quantity,
    created_at: vote.createdAt,
    updated_at: vote.updatedAt,
  };
}

export function toComment(comment: Comment) {
  return {
    feature_id: comment.ideaId,
    user_id: comment.user?.id ?? null,
    text: comment.text,
    // Cairn's comments are all visible to end users, and never edited.
    is_private: false,
    created_at: comment.createdAt,
    updated_at: comment.createdAt,
  };
}

/** Pendo's `is_paying`, from the status PUT /accounts/:id sets; null while no status was set. */
function isPaying(account: DirectoryAccount): boolean | null {
  return account.status === null ? null : account.status === "paying";
}

export function toAccount(account: DirectoryAccount) {
  return {
    id: account.id,
    external_id: account.externalId,
    name: account.name,
    status: account.status,
    is_paying: isPaying(account),
    monthly_value: account.monthlyValue,
    created_at: account.createdAt,
    last_seen: account.updatedAt,
  };
}

export function toUser(user: DirectoryUser) {
  return {
    id: user.id,
    external_id: user.externalId,
    name: user.name,
    email: user.email,
    roles: "endUser",
    account:
      user.account === null
        ? null
        : {
            id: user.account.id,
            external_id: user.account.externalId,
            name: user.account.name,
            monthly_value: user.account.monthlyValue,
            status: user.account.status,
          },
    created_at: user.createdAt,
    last_seen: user.updatedAt,
  };
}

export function toHook(hook: Hook) {
  return { id: hook.id, event: hook.event, target_url: hook.targetUrl, created_at: hook.createdAt };
}
