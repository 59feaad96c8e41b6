import { type Static, Type } from "@sinclair/typebox";
import { text } from "../../platform/http/schema-kit.js";
import { feedbackLimits as limits } from "../ideas/feedback-limits.js";

export const emailSchema = Type.String({
  minLength: 3,
  maxLength: limits.emailLength,
  pattern: "^[^@\\s]+@[^@\\s]+$",
});

/**
 * An end user as a request names them: `id` is the team's own user id (the analytics visitor id), and
 * `account.id` their account id. Fields left out keep their stored value.
 */
export const endUserInput = Type.Object(
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
export type EndUserInput = Static<typeof endUserInput>;
