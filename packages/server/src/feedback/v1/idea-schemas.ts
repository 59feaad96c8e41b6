import { Type } from "@sinclair/typebox";
import { stringEnum, text } from "../../platform/http/schema-kit.js";
import { feedbackLimits as limits } from "../ideas/feedback-limits.js";
import { ideaOrderFields } from "../ideas/idea-service.js";
import { ideaStatuses } from "../ideas/idea-status.js";
import { voteOrderFields } from "../ideas/vote-service.js";

// The request schemas of the Feedback API. Every object refuses fields it does not know
// (`additionalProperties: false`; the app's ajv never removes them silently), so a typo is a 400 naming it.

export {
  addCommentInput as addCommentBody,
  castVoteInput as castVoteBody,
  createIdeaInput as createIdeaBody,
  updateIdeaInput as updateIdeaBody,
} from "../ideas/idea-inputs.js";

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
