import { feedbackLimits as limits } from "../ideas/feedback-limits.js";
import { ideaOrderFields } from "../ideas/idea-service.js";
import { ideaStatuses } from "../ideas/idea-status.js";

// The request schemas of the Feedback API. Every object refuses fields it does not know
// (`additionalProperties: false`; the app's ajv never removes them silently), so a typo is a 400 naming it.

export const text = (maxLength: number, minLength = 0) => ({ type: "string", minLength, maxLength }) as const;
const statusSchema = { type: "string", enum: [...ideaStatuses] } as const;
export const emailSchema = { ...text(limits.emailLength, 3), pattern: "^[^@\\s]+@[^@\\s]+$" } as const;

export const userSchema = {
  type: "object",
  required: ["id"],
  additionalProperties: false,
  properties: {
    id: text(limits.externalIdLength, 1),
    email: emailSchema,
    name: text(limits.nameLength),
    account: {
      type: "object",
      required: ["id"],
      additionalProperties: false,
      properties: { id: text(limits.externalIdLength, 1), name: text(limits.nameLength) },
    },
  },
} as const;

const tagsSchema = {
  type: "array",
  maxItems: limits.tags,
  items: text(limits.tagLength, 1),
} as const;

export const createIdeaBody = {
  type: "object",
  required: ["title"],
  additionalProperties: false,
  properties: {
    title: text(limits.titleLength, 1),
    details: text(limits.detailsLength),
    user: userSchema,
    tags: tagsSchema,
    productArea: { anyOf: [text(limits.productAreaLength), { type: "null" }] },
    private: { type: "boolean" },
  },
} as const;

export const updateIdeaBody = {
  type: "object",
  minProperties: 1,
  additionalProperties: false,
  properties: {
    title: text(limits.titleLength, 1),
    details: text(limits.detailsLength),
    status: statusSchema,
    tags: tagsSchema,
    productArea: { anyOf: [text(limits.productAreaLength), { type: "null" }] },
    private: { type: "boolean" },
    mergedInto: { anyOf: [text(100, 1), { type: "null" }] },
  },
} as const;

export const castVoteBody = {
  type: "object",
  required: ["user", "quantity"],
  additionalProperties: false,
  properties: {
    user: userSchema,
    quantity: { type: "integer", minimum: limits.minVote, maximum: limits.maxVote },
  },
} as const;

export const addCommentBody = {
  type: "object",
  required: ["user", "text"],
  additionalProperties: false,
  properties: { user: userSchema, text: text(limits.commentLength, 1) },
} as const;

export const ideaIdParams = {
  type: "object",
  required: ["id"],
  additionalProperties: false,
  properties: { id: text(100, 1) },
} as const;

/** Pendo Feedback clients may send the key as `?auth-token=` (accepted, and audited as a warning). */
export const authToken = { "auth-token": { type: "string" } } as const;

/** A query string that takes nothing but the key. */
export const noQuery = { type: "object", additionalProperties: false, properties: authToken } as const;

export const paging = {
  limit: { type: "integer", minimum: 0, maximum: limits.maxPageSize },
  start: { type: "integer", minimum: 0 },
  order_dir: { type: "string", enum: ["asc", "desc"] },
} as const;

export const statusList = ideaStatuses.join("|");

export const listIdeasQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...authToken,
    ...paging,
    order_by: { type: "string", enum: ideaOrderFields },
    q: text(limits.searchLength),
    // Comma-separated, as Pendo's search takes it: `status=planned,developing`.
    status: { type: "string", pattern: `^(${statusList})(,(${statusList}))*$` },
  },
} as const;

export const listVotesQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...authToken,
    ...paging,
    order_by: { type: "string", enum: ["created_at", "updated_at", "quantity"] },
  },
} as const;

export const listCommentsQuery = {
  type: "object",
  additionalProperties: false,
  properties: { ...authToken, ...paging },
} as const;
