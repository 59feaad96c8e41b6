import { type Static, Type } from "@sinclair/typebox";
import { nullable } from "../../platform/http/schema-kit.js";

/** An end user as the Feedback API shows them: by the ids the team gave, never Cairn's internal ones. */
export const endUserShape = Type.Object({
  id: Type.String({ description: "The team's own id for the end user." }),
  email: nullable(Type.String()),
  name: nullable(Type.String()),
  account: nullable(Type.Object({ id: Type.String(), name: nullable(Type.String()) })),
});

export type EndUser = Static<typeof endUserShape>;
