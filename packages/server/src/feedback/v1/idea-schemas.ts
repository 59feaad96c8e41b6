import { Type } from "@sinclair/typebox";
import { stringEnum, text } from "../../platform/http/schema-kit.js";
import { feedbackLimits as limits } from "../ideas/feedback-limits.js";
import { ideaOrderFields } from "../ideas/idea-service.js";
import { ideaStatuses } from "../ideas/idea-status.js";
import { voteOrderFields } from "../ideas/vote-service.js";

// The request schemas of the Feedback API. Every object refuses fields it does not know
// (`additionalProperties: false`; the app's ajv never removes them silently), so a typo is a 400 naming it.

export { text };

const statusSchema = stringEnum(ideaStatuses);
export const emailSchema = Type.String({
  minLength: 3,
  maxLength: limits.emailLength,
  pattern: "^[^@\\s]+@[^@\\s]+$",
});

export const userSchema = Type.Object(
  {
    id: text(limits.externalIdLength, 1),
    email: Type.Optional(emailSchema),
    name: Type.Optional(text(limits.nameLength)),
    account: Type.Optional(
      Type.Object(
        { id: text(limits.externalIdLength, 1), name: Type.Optional(text(limits.nameLength)) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const tagsSchema = Type.Array(text(limits.tagLength, 1), { maxItems: limits.tags });

export const createIdeaBody = Type.Object(
  {
    title: text(limits.titleLength, 1),
    details: Type.Optional(text(limits.detailsLength)),
    user: Type.Optional(userSchema),
    tags: Type.Optional(tagsSchema),
    productArea: Type.Optional(Type.Union([text(limits.productAreaLength), Type.Null()])),
    private: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const updateIdeaBody = Type.Object(
  {
    title: Type.Optional(text(limits.titleLength, 1)),
    details: Type.Optional(text(limits.detailsLength)),
    status: Type.Optional(statusSchema),
    tags: Type.Optional(tagsSchema),
    productArea: Type.Optional(Type.Union([text(limits.productAreaLength), Type.Null()])),
    private: Type.Optional(Type.Boolean()),
    mergedInto: Type.Optional(Type.Union([text(100, 1), Type.Null()])),
  },
  { minProperties: 1, additionalProperties: false },
);

export const castVoteBody = Type.Object(
  {
    user: userSchema,
    quantity: Type.Integer({ minimum: limits.minVote, maximum: limits.maxVote }),
  },
  { additionalProperties: false },
);

export const addCommentBody = Type.Object(
  { user: userSchema, text: text(limits.commentLength, 1) },
  { additionalProperties: false },
);

export const ideaIdParams = Type.Object({ id: text(100, 1) }, { additionalProperties: false });

/** Pendo Feedback clients may send the key as `?auth-token=` (accepted, and audited as a warning). */
export const authToken = { "auth-token": Type.Optional(Type.String()) };

/** A query string that takes nothing but the key. */
export const noQuery = Type.Object(authToken, { additionalProperties: false });

export const paging = {
  limit: Type.Optional(Type.Integer({ minimum: 0, maximum: limits.maxPageSize })),
  start: Type.Optional(Type.Integer({ minimum: 0 })),
  order_dir: Type.Optional(stringEnum(["asc", "desc"])),
};

export const statusList = ideaStatuses.join("|");

/** Comma-separated statuses, as Pendo's search takes them: `status=planned,developing`. */
export const statusesSchema = Type.String({ pattern: `^(${statusList})(,(${statusList}))*$` });

export const listIdeasQuery = Type.Object(
  {
    ...authToken,
    ...paging,
    order_by: Type.Optional(stringEnum(ideaOrderFields)),
    q: Type.Optional(text(limits.searchLength)),
    status: Type.Optional(statusesSchema),
  },
  { additionalProperties: false },
);

export const listVotesQuery = Type.Object(
  { ...authToken, ...paging, order_by: Type.Optional(stringEnum(voteOrderFields)) },
  { additionalProperties: false },
);

export const listCommentsQuery = Type.Object({ ...authToken, ...paging }, { additionalProperties: false });
