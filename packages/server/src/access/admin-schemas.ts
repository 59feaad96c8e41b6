import { Type } from "@sinclair/typebox";

/** The id of an app, user, key or rule in an admin API path. */
export const adminIdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
