import { feedbackLimits as limits } from "../ideas/feedback-limits.js";
import { authToken, emailSchema, ideaIdParams, paging, statusList, text } from "../v1/idea-schemas.js";
import { feedbackHookEvents, hookLimits } from "../webhooks/webhook-events.js";

// Request schemas of Pendo's classic Feedback paths. As on /api/v1/ideas, every object refuses fields it does
// not know (a typo is a 400 naming it); the fields and parameters Pendo documents are all accepted, those
// Cairn does not store are read and ignored (README, "Pendo's classic Feedback paths").

const anything = {} as const;

export { noQuery, text } from "../v1/idea-schemas.js";
/** A Cairn id in the path (`idea_…`, `eusr_…`, `eacc_…`), as on /api/v1/ideas/:id. */
export const idParams = ideaIdParams;

/** Comma-separated lists, as Pendo takes them: `tags=A,Multi:B`, `products=Web,Mobile`. */
const commaList = text(2000);

export const featureOrderFields = [
  "title",
  "created_at",
  "updated_at",
  "declined_at",
  "developing_at",
  "planned_at",
  "released_at",
  "waiting_at",
] as const;
export type FeatureOrderField = (typeof featureOrderFields)[number];

export const listFeaturesQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...authToken,
    ...paging,
    order_by: { type: "string", enum: [...featureOrderFields] },
    is_private: { type: "boolean" },
    tags: commaList,
    products: commaList,
    wanted_by: text(limits.externalIdLength, 1),
  },
} as const;

export const searchQuery = {
  type: "object",
  required: ["scope"],
  additionalProperties: false,
  properties: {
    ...authToken,
    ...paging,
    order_by: { type: "string", enum: [...featureOrderFields] },
    scope: { type: "string", enum: ["feature"] },
    q: text(limits.searchLength),
    status: { type: "string", pattern: `^(${statusList})(,(${statusList}))*$` },
    tags: commaList,
    products: commaList,
  },
} as const;

export const listVotesQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...authToken,
    limit: paging.limit,
    start: paging.start,
    user_id: text(limits.externalIdLength, 1),
    feature_id: text(100, 1),
    positive: { type: "boolean" },
    negative: { type: "boolean" },
  },
} as const;

export const castVotesBody = {
  type: "object",
  required: ["user_id", "votes"],
  additionalProperties: false,
  properties: {
    user_id: text(limits.externalIdLength, 1),
    votes: {
      type: "array",
      minItems: 1,
      maxItems: 100,
      items: {
        type: "object",
        required: ["feature_id", "quantity"],
        additionalProperties: false,
        properties: {
          feature_id: text(100, 1),
          quantity: { type: "integer", minimum: limits.minVote, maximum: limits.maxVote },
        },
      },
    },
  },
} as const;

export const endUserPingBody = {
  type: "object",
  required: ["user"],
  additionalProperties: false,
  properties: {
    user: {
      type: "object",
      required: ["id"],
      additionalProperties: false,
      properties: {
        id: text(limits.externalIdLength, 1),
        email: emailSchema,
        full_name: text(limits.nameLength),
        // Documented by Pendo, accepted, not stored.
        roles: anything,
        tags: anything,
        allowed_products: anything,
        created_at: anything,
      },
    },
    account: {
      type: "object",
      required: ["id"],
      additionalProperties: false,
      properties: {
        id: text(limits.externalIdLength, 1),
        name: text(limits.nameLength),
        // Documented by Pendo, accepted, not stored.
        monthly_value: anything,
        is_paying: anything,
        status: anything,
        tags: anything,
        created_at: anything,
      },
    },
    return_url: anything,
  },
} as const;

export const listUsersQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...authToken,
    ...paging,
    order_by: { type: "string", enum: ["name", "email", "created_at", "last_seen"] },
    role: { type: "string", enum: ["endUser", "vendorUser"] },
    account: text(limits.externalIdLength, 1),
  },
} as const;

export const searchUsersQuery = {
  type: "object",
  additionalProperties: false,
  anyOf: [{ required: ["external_id"] }, { required: ["email"] }],
  properties: {
    ...authToken,
    external_id: text(limits.externalIdLength, 1),
    email: text(limits.emailLength, 1),
    role: { type: "string", enum: ["endUser", "vendorUser"] },
  },
} as const;

export const listAccountsQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...authToken,
    ...paging,
    order_by: { type: "string", enum: ["name", "created_at", "last_seen"] },
  },
} as const;

const targetUrl = { type: "string", minLength: 1, maxLength: hookLimits.urlLength } as const;

export const subscribeBody = {
  type: "object",
  required: ["event", "target_url"],
  additionalProperties: false,
  properties: { event: { type: "string", enum: [...feedbackHookEvents] }, target_url: targetUrl },
} as const;

export const unsubscribeBody = {
  type: "object",
  required: ["target_url"],
  additionalProperties: false,
  properties: { target_url: targetUrl },
} as const;
