import { type Static, Type } from "@sinclair/typebox";
import { stringEnum } from "../http/schema-kit.js";
import { type ErrorCode, errorCatalogue } from "./catalogue.js";

/** The one error shape every API answers with; the OpenAPI document names it `Error`. */
export const errorBody = Type.Object(
  {
    error: Type.Object({
      code: stringEnum(Object.keys(errorCatalogue) as ErrorCode[]),
      message: Type.String({ description: "What went wrong, for a person to read." }),
      hint: Type.String({ description: "What to do about it." }),
      requestId: Type.Optional(
        Type.String({
          description: "This request's id, as the server's log has it: give it to an operator.",
        }),
      ),
    }),
  },
  { title: "Error" },
);

export type ErrorBody = Static<typeof errorBody>;
