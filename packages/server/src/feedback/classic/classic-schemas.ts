import { Type } from "@sinclair/typebox";
import { stringEnum, text } from "../../platform/http/schema-kit.js";
import { directoryAccountOrderFields, directoryUserOrderFields } from "../end-users/end-user-directory.js";
import { emailSchema } from "../end-users/end-user-input.js";
import { feedbackLimits as limits } from "../ideas/feedback-limits.js";
import { authToken, ideaIdParams, statusesSchema, paging as v1Paging } from "../v1/idea-schemas.js";
import { offsetParameter, tagsBody } from "./classic-change-schemas.js";
import { classicIdRef, classicLimit, classicStart } from "./classic-paging.js";

// Request schemas of Pendo's classic Feedback paths. As on /api/v1/ideas, every object refuses fields it does
// not know (a typo is a 400 naming it); the fields and parameters Pendo documents are all accepted, those
// Cairn does not store are read and ignored (README, "Pendo's classic Feedback paths").

/** Documented by Pendo, accepted, not stored. */
const anything = Type.Optional(Type.Unknown());

/** Pages of up to 1,000 (Cairn's own API stops at 500). */
const paging = { limit: classicLimit, start: classicStart, order_dir: v1Paging.order_dir };

/** An id in a query: a number (digits) or Cairn's own id (classic-ids.ts). */
const idInQuery = Type.Optional(text(100, 1));

export { subscribeBody, unsubscribeBody } from "../v1/hook-schemas.js";
export { noQuery } from "../v1/idea-schemas.js";
/** A number in the path (`/features/42`), or Cairn's own id (`idea_…`, `eusr_…`, `eacc_…`). */
export const idParams = ideaIdParams;

/** Comma-separated lists, as Pendo takes them: `tags=A,Multi:B`, `products=Web,Mobile`. */
const commaList = Type.Optional(text(2000));

export const featureOrderFields = [
  "title",
  "created_at",
  "updated_at",
  "declined_at",
  "developing_at",
  "planned_at",
  "released_at",
  "waiting_at",
  // Deleted features are never listed, so every one listed has none: they come in creation order.
  "deleted_at",
] as const;

const accountStatuses = ["paying", "prospect", "not_paying"] as const;

/** Pendo's vendor users are Cairn's admin users, never listed here; end users are. */
const roleSchema = Type.Optional(stringEnum(["endUser", "vendorUser"]));

export const listFeaturesQuery = Type.Object(
  {
    ...authToken,
    ...paging,
    order_by: Type.Optional(stringEnum(featureOrderFields)),
    is_private: Type.Optional(Type.Boolean()),
    tags: commaList,
    products: commaList,
    wanted_by: idInQuery,
  },
  { additionalProperties: false },
);

export const searchQuery = Type.Object(
  {
    ...authToken,
    ...paging,
    order_by: Type.Optional(stringEnum(featureOrderFields)),
    scope: stringEnum(["feature"]),
    q: Type.Optional(text(limits.searchLength)),
    status: Type.Optional(statusesSchema),
    tags: commaList,
    products: commaList,
  },
  { additionalProperties: false },
);

export const listVotesQuery = Type.Object(
  {
    ...authToken,
    limit: paging.limit,
    start: paging.start,
    offset: offsetParameter,
    user_id: idInQuery,
    feature_id: idInQuery,
    positive: Type.Optional(Type.Boolean()),
    negative: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const castVotesBody = Type.Object(
  {
    // A string is the team's own id for the user (created if new), as POST /users takes it; a number is a
    // User's id. A list of types, so Fastify's Ajv turns neither into the other.
    user_id: Type.Unsafe<string | number>({
      type: ["string", "integer"],
      minLength: 1,
      maxLength: limits.externalIdLength,
      minimum: 1,
    }),
    votes: Type.Array(
      Type.Object(
        {
          feature_id: classicIdRef,
          quantity: Type.Integer({ minimum: limits.minVote, maximum: limits.maxVote }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);

export const endUserPingBody = Type.Object(
  {
    user: Type.Object(
      {
        id: text(limits.externalIdLength, 1),
        email: Type.Optional(emailSchema),
        full_name: Type.Optional(text(limits.nameLength)),
        roles: anything,
        tags: Type.Optional(tagsBody),
        allowed_products: anything,
        created_at: anything,
      },
      { additionalProperties: false },
    ),
    account: Type.Optional(
      Type.Object(
        {
          id: text(limits.externalIdLength, 1),
          name: Type.Optional(text(limits.nameLength)),
          monthly_value: Type.Optional(Type.Number({ minimum: 0, maximum: limits.maxMonthlyValue })),
          is_paying: anything,
          status: Type.Optional(stringEnum(accountStatuses)),
          tags: Type.Optional(tagsBody),
          created_at: anything,
        },
        { additionalProperties: false },
      ),
    ),
    return_url: anything,
  },
  { additionalProperties: false },
);

export const listUsersQuery = Type.Object(
  {
    ...authToken,
    ...paging,
    order_by: Type.Optional(stringEnum(directoryUserOrderFields)),
    role: roleSchema,
    account: Type.Optional(text(limits.externalIdLength, 1)),
  },
  { additionalProperties: false },
);

export const searchUsersQuery = Type.Object(
  {
    ...authToken,
    external_id: Type.Optional(text(limits.externalIdLength, 1)),
    email: Type.Optional(text(limits.emailLength, 1)),
    role: roleSchema,
  },
  { additionalProperties: false, anyOf: [{ required: ["external_id"] }, { required: ["email"] }] },
);

/** Cairn keeps no churn: `churned` sorts by last seen, least recently seen first unless `order_dir` says. */
export const accountOrderFields = [...directoryAccountOrderFields, "churned"] as const;

export const listAccountsQuery = Type.Object(
  { ...authToken, ...paging, order_by: Type.Optional(stringEnum(accountOrderFields)) },
  { additionalProperties: false },
);
