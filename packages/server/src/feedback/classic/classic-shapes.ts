import { type Static, Type } from "@sinclair/typebox";
import { isoTime, nullable, stringEnum } from "../../platform/http/schema-kit.js";
import type { DirectoryAccount, DirectoryUser } from "../end-users/end-user-directory.js";
import type { Comment } from "../ideas/comment-service.js";
import type { Idea } from "../ideas/idea-service.js";
import { ideaStatuses } from "../ideas/idea-status.js";
import type { Tag } from "../ideas/tags.js";
import type { Vote } from "../ideas/vote-service.js";
import type { Hook } from "../webhooks/hook-service.js";
import { feedbackHookEvents } from "../webhooks/webhook-events.js";
import { tag } from "./classic-change-schemas.js";
import { type ClassicNumbers, featureNumber, userNumber } from "./classic-ids.js";

// Cairn's objects in Pendo Feedback's shapes (snake_case), every field of its Swagger's definitions present
// (null where Cairn has no value). Ids are the rows' numbers (classic-ids.ts), typed as the Swagger types them:
// integers on Feature, Vote and Comment, the same number as a string in User.id and Account.id (the Swagger
// types those as strings). A user a vote, comment or feature names is that User's id; null once deleted.

const accountStatus = nullable(stringEnum(["paying", "prospect", "not_paying"]));

const userId = nullable(Type.Integer({ description: "The User's id (User.id, as a number)" }));

export const classicFeature = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  status: stringEnum(ideaStatuses),
  status_changed_at: isoTime(),
  created_at: isoTime(),
  updated_at: isoTime(),
  created_by_user_id: userId,
  updated_by_user_id: nullable(Type.Integer(), "Changes are made with keys, not by users: null"),
  resolved_by_user_id: nullable(Type.Integer(), "Cairn keeps no resolutions: null"),
  resolution: nullable(Type.String(), "Cairn keeps no resolutions: null"),
  effort: nullable(Type.Integer(), "Cairn keeps no effort: null"),
  form_entry: nullable(Type.String(), "Cairn keeps no forms: null"),
  app_url: nullable(Type.String(), "Cairn has no page per feature: null"),
  uploads: Type.Array(Type.String(), { description: "Cairn keeps no uploads: []" }),
  vendor_id: nullable(Type.Integer(), "Cairn's subscriptions have no number: null"),
  view_count: nullable(Type.Integer(), "Cairn does not count views: null"),
  is_private: Type.Boolean(),
  merged_to_feature_id: nullable(Type.Integer()),
  planned_at: nullable(isoTime()),
  developing_at: nullable(isoTime()),
  released_at: nullable(isoTime()),
  declined_at: nullable(isoTime()),
  waiting_at: nullable(isoTime()),
  tags: Type.Array(tag),
  products: Type.Array(Type.String()),
});

export const classicVote = Type.Object({
  feature_id: Type.Integer(),
  user_id: userId,
  quantity: Type.Integer(),
  created_at: isoTime(),
  updated_at: isoTime(),
});

export const classicComment = Type.Object({
  feature_id: Type.Integer(),
  user_id: userId,
  text: Type.String(),
  is_private: Type.Boolean(),
  created_at: isoTime(),
  updated_at: isoTime(),
});

/** A number written as a string, as the Swagger types User.id and Account.id. */
const numberText = Type.String({ pattern: "^[0-9]+$" });

export const classicAccount = Type.Object({
  id: numberText,
  external_id: Type.String(),
  name: nullable(Type.String()),
  status: accountStatus,
  is_paying: nullable(Type.Boolean()),
  monthly_value: nullable(Type.Number()),
  created_at: isoTime(),
  last_seen: isoTime(),
});

export const classicUser = Type.Object({
  id: numberText,
  external_id: Type.String(),
  name: nullable(Type.String()),
  email: nullable(Type.String()),
  roles: Type.Literal("endUser"),
  account: nullable(
    Type.Object({
      id: numberText,
      external_id: Type.String(),
      name: nullable(Type.String()),
      monthly_value: nullable(Type.Number()),
      status: accountStatus,
    }),
  ),
  created_at: isoTime(),
  last_seen: isoTime(),
});

export const classicHook = Type.Object({
  id: Type.String(),
  event: stringEnum(feedbackHookEvents),
  target_url: Type.String(),
  created_at: isoTime(),
});

/** Pendo's hook answer and one field more: the signing secret, answered once, when the hook is created. */
export const classicHookMaybeWithSecret = Type.Composite([
  classicHook,
  Type.Object({
    secret: Type.Optional(
      Type.String({ description: "A new hook's: signs every delivery (Cairn-Signature); shown only here." }),
    ),
  }),
]);

/** `tags` as the classic paths show them: as POST …/tags gave them (tag-service.ts featureTags). */
export function toFeature(
  idea: Idea,
  tags: readonly Tag[],
  numbers: ClassicNumbers,
): Static<typeof classicFeature> {
  return {
    id: featureNumber(numbers, idea.id),
    title: idea.title,
    description: idea.details,
    status: idea.status,
    status_changed_at: idea.statusChangedAt,
    created_at: idea.createdAt,
    updated_at: idea.updatedAt,
    created_by_user_id: userNumber(numbers, idea.creator),
    updated_by_user_id: null,
    resolved_by_user_id: null,
    resolution: null,
    effort: null,
    form_entry: null,
    app_url: null,
    uploads: [],
    vendor_id: null,
    view_count: null,
    is_private: idea.private,
    merged_to_feature_id: idea.mergedInto === null ? null : featureNumber(numbers, idea.mergedInto),
    planned_at: idea.plannedAt,
    developing_at: idea.developingAt,
    released_at: idea.releasedAt,
    declined_at: idea.declinedAt,
    waiting_at: idea.waitingAt,
    tags: [...tags],
    products: idea.productArea === null ? [] : [idea.productArea],
  };
}

export function toVote(vote: Vote, numbers: ClassicNumbers): Static<typeof classicVote> {
  return {
    feature_id: featureNumber(numbers, vote.ideaId),
    user_id: userNumber(numbers, vote.user),
    quantity: vote.quantity,
    created_at: vote.createdAt,
    updated_at: vote.updatedAt,
  };
}

export function toComment(comment: Comment, numbers: ClassicNumbers): Static<typeof classicComment> {
  return {
    feature_id: featureNumber(numbers, comment.ideaId),
    user_id: userNumber(numbers, comment.user),
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

export function toAccount(account: DirectoryAccount): Static<typeof classicAccount> {
  return {
    id: String(account.number),
    external_id: account.externalId,
    name: account.name,
    status: account.status,
    is_paying: isPaying(account),
    monthly_value: account.monthlyValue,
    created_at: account.createdAt,
    last_seen: account.updatedAt,
  };
}

export function toUser(user: DirectoryUser): Static<typeof classicUser> {
  return {
    id: String(user.number),
    external_id: user.externalId,
    name: user.name,
    email: user.email,
    roles: "endUser",
    account:
      user.account === null
        ? null
        : {
            id: String(user.account.number),
            external_id: user.account.externalId,
            name: user.account.name,
            monthly_value: user.account.monthlyValue,
            status: user.account.status,
          },
    created_at: user.createdAt,
    last_seen: user.updatedAt,
  };
}

export function toHook(hook: Hook): Static<typeof classicHook> {
  return { id: hook.id, event: hook.event, target_url: hook.targetUrl, created_at: hook.createdAt };
}
