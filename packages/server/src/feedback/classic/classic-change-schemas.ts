import { feedbackLimits as limits } from "../ideas/feedback-limits.js";
import { authToken, emailSchema as email, paging, text } from "../v1/idea-schemas.js";

// Request schemas of the classic paths that read comments and change tags, end users and accounts. As in
// classic-schemas.ts, every object with known fields refuses others by name.

export const listCommentsQuery = {
  type: "object",
  required: ["case_id"],
  additionalProperties: false,
  properties: { ...authToken, case_id: text(100, 1), limit: paging.limit, start: paging.start },
} as const;

const tagText = text(limits.tagLength, 1);

/** `"Foo"`, `{"Color": "Red"}` or `{"Team": ["a", "b"]}`, as Pendo's Tags take them. */
const tag = {
  anyOf: [
    tagText,
    {
      type: "object",
      minProperties: 1,
      maxProperties: 1,
      propertyNames: { minLength: 1, maxLength: limits.tagLength },
      // The key is the team's own category name, so any name is allowed; its value is a tag or several.
      additionalProperties: {
        anyOf: [tagText, { type: "array", minItems: 1, maxItems: limits.tags, items: tagText }],
      },
    },
  ],
} as const;

/** The whole body of POST …/tags: the list that replaces the current one. */
export const tagsBody = { type: "array", maxItems: limits.tags, items: tag } as const;

export const updateUserBody = {
  type: "object",
  minProperties: 1,
  additionalProperties: false,
  properties: {
    email,
    external_id: text(limits.externalIdLength, 1),
    name: text(limits.nameLength),
    // Pendo's permission group of a team member; Cairn's end users have none. Accepted, not stored.
    permission_group_id: { type: ["number", "null"] },
  },
} as const;

export const updateAccountBody = {
  type: "object",
  minProperties: 1,
  additionalProperties: false,
  properties: {
    monthly_value: { type: "number", minimum: 0, maximum: limits.maxMonthlyValue },
    name: text(limits.nameLength),
    status: { type: "string", enum: ["paying", "prospect", "not_paying"] },
  },
} as const;
