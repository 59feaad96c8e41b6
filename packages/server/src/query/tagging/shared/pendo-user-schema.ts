import { Type } from "@sinclair/typebox";

/** The answer schema of a `PendoUser` (pendo-user.ts): `createdByUser` and `lastUpdatedByUser` of Pendo's objects. */
export const pendoUserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  first: Type.String(),
  last: Type.String(),
  role: Type.Union([Type.Number(), Type.Null()]),
  userType: Type.Union([
    Type.Literal("user"),
    Type.Literal("cli"),
    Type.Literal("integration_key"),
    Type.Literal("system"),
  ]),
});
