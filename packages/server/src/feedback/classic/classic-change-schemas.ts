import { Type } from "@sinclair/typebox";
import { stringEnum, text } from "../../platform/http/schema-kit.js";
import type { AccountStatus } from "../../store/metadata/metadata-schema.js";
import { emailSchema as email } from "../end-users/end-user-input.js";
import { feedbackLimits as limits } from "../ideas/feedback-limits.js";
import type { Tag } from "../ideas/tags.js";
import { authToken } from "../v1/idea-schemas.js";
import { classicLimit, classicStart } from "./classic-paging.js";

// Request schemas of the classic paths that read comments and change tags, end users and accounts. As in
// classic-schemas.ts, every object with known fields refuses others by name.

/** `offset`, which clients page with as well as the Swagger's `start`; `start` wins when both are sent. */
export const offsetParameter = Type.Optional(
  Type.Integer({ minimum: 0, description: "the same as `start`, as some clients send it" }),
);

export const listCommentsQuery = Type.Object(
  {
    ...authToken,
    case_id: Type.Optional(text(100, 1)),
    case: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: "the same as `case_id`, as some clients send it",
      }),
    ),
    limit: classicLimit,
    start: classicStart,
    offset: offsetParameter,
    order_dir: Type.Optional(
      Type.Unsafe<"asc" | "desc">({
        type: "string",
        enum: ["asc", "desc"],
        description: "by creation time; `desc` (newest first) by default",
      }),
    ),
  },
  { additionalProperties: false, anyOf: [{ required: ["case_id"] }, { required: ["case"] }] },
);

const tagText = text(limits.tagLength, 1);

/**
 * `"Foo"`, `{"Color": "Red"}` or `{"Team": ["a", "b"]}`, as Pendo's Tags take them. Each written with a list of
 * types rather than a union: Fastify's Ajv coerces types, and would make `["sales"]` the first branch's string
 * `"sales"`; with the value's own type in the list, nothing is coerced.
 */
export const tag = Type.Unsafe<Tag>({
  type: ["string", "object"],
  minLength: 1,
  maxLength: limits.tagLength,
  minProperties: 1,
  maxProperties: 1,
  propertyNames: { minLength: 1, maxLength: limits.tagLength },
  // The key is the team's own category name, so any name is allowed; its value is a tag or several.
  additionalProperties: {
    type: ["string", "array"],
    minLength: 1,
    maxLength: limits.tagLength,
    items: tagText,
    minItems: 1,
    maxItems: limits.tags,
  },
});

/** The whole body of POST …/tags: the list that replaces the current one. */
export const tagsBody = Type.Array(tag, { maxItems: limits.tags });

const accountStatuses: readonly AccountStatus[] = ["paying", "prospect", "not_paying"];

export const updateUserBody = Type.Object(
  {
    email: Type.Optional(email),
    external_id: Type.Optional(text(limits.externalIdLength, 1)),
    name: Type.Optional(text(limits.nameLength)),
    // Pendo's permission group of a team member; Cairn's end users have none. Accepted, not stored.
    permission_group_id: Type.Optional(Type.Unsafe<number | null>({ type: ["number", "null"] })),
  },
  { minProperties: 1, additionalProperties: false },
);

export const updateAccountBody = Type.Object(
  {
    monthly_value: Type.Optional(Type.Number({ minimum: 0, maximum: limits.maxMonthlyValue })),
    name: Type.Optional(text(limits.nameLength)),
    status: Type.Optional(stringEnum(accountStatuses)),
  },
  { minProperties: 1, additionalProperties: false },
);
