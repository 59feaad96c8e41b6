import { type Static, Type } from "@sinclair/typebox";
import { stringEnum, text } from "../../platform/http/schema-kit.js";
import { endUserInput } from "../end-users/end-user-input.js";
import { feedbackLimits as limits } from "./feedback-limits.js";
import { ideaStatuses } from "./idea-status.js";

// What the idea services take, as the schemas that validate it on /api/v1/ideas. Every object refuses fields it
// does not know (`additionalProperties: false`; the app's ajv never removes them silently), so a typo is a 400
// naming it.

const tagsSchema = Type.Array(text(limits.tagLength, 1), { maxItems: limits.tags });
const productArea = Type.Union([text(limits.productAreaLength), Type.Null()]);

export const createIdeaInput = Type.Object(
  {
    title: text(limits.titleLength, 1),
    details: Type.Optional(text(limits.detailsLength)),
    user: Type.Optional(endUserInput),
    tags: Type.Optional(tagsSchema),
    productArea: Type.Optional(productArea),
    private: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateIdeaInput = Static<typeof createIdeaInput>;

/** Only the fields present change; `null` clears productArea and mergedInto. */
export const updateIdeaInput = Type.Object(
  {
    title: Type.Optional(text(limits.titleLength, 1)),
    details: Type.Optional(text(limits.detailsLength)),
    status: Type.Optional(stringEnum(ideaStatuses)),
    tags: Type.Optional(tagsSchema),
    productArea: Type.Optional(productArea),
    private: Type.Optional(Type.Boolean()),
    mergedInto: Type.Optional(Type.Union([text(100, 1), Type.Null()])),
  },
  { minProperties: 1, additionalProperties: false },
);
export type UpdateIdeaInput = Static<typeof updateIdeaInput>;

/** A quantity of 0 removes the user's vote; -1 is "not interested". */
export const castVoteInput = Type.Object(
  {
    user: endUserInput,
    quantity: Type.Integer({ minimum: limits.minVote, maximum: limits.maxVote }),
  },
  { additionalProperties: false },
);
export type CastVoteInput = Static<typeof castVoteInput>;

export const addCommentInput = Type.Object(
  { user: endUserInput, text: text(limits.commentLength, 1) },
  { additionalProperties: false },
);
export type AddCommentInput = Static<typeof addCommentInput>;
