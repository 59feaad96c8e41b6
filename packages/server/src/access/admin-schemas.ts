import { Type } from "@sinclair/typebox";

/** The id of an app, user, key or rule in an admin API path. */
/** A GET that takes no query parameters (others are ignored, as before the routes had schemas). */
export const noAdminQuery = Type.Object({});

export const adminIdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
