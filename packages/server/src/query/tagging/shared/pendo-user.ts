import type { Kysely } from "kysely";
import type { MetadataSchema } from "../../../store/metadata/metadata-schema.js";

/**
 * The user object of Pendo's versioned header (`createdByUser`, `lastUpdatedByUser`). Pendo's role is a number
 * Cairn has no counterpart for (null); `userType` says what the actor was: `user`, `cli`, `integration_key`
 * or `system`.
 */
export interface PendoUser {
  readonly id: string;
  readonly username: string;
  readonly first: string;
  readonly last: string;
  readonly role: number | null;
  readonly userType: "user" | "cli" | "integration_key" | "system";
}

/** Turns the actor ids stored on objects into Pendo's user objects, with one read per kind of actor. */
export async function pendoUsersOf(
  db: Kysely<MetadataSchema>,
  actorIds: Iterable<string>,
): Promise<(actorId: string) => PendoUser> {
  const ids = [...new Set(actorIds)];
  const userIds = ids.filter((id) => id.startsWith("usr_"));
  const keyIds = ids.filter((id) => id.startsWith("key_"));
  const users = new Map(
    userIds.length === 0
      ? []
      : (
          await db.selectFrom("users").select(["id", "email", "name"]).where("id", "in", userIds).execute()
        ).map((u) => [u.id, u] as const),
  );
  const keys = new Map(
    keyIds.length === 0
      ? []
      : (
          await db
            .selectFrom("api_keys")
            .select(["id", "key_start", "description"])
            .where("id", "in", keyIds)
            .execute()
        ).map((k) => [k.id, k] as const),
  );
  return function pendoUserOf(actorId) {
    const user = users.get(actorId);
    if (user) {
      const [first = "", ...rest] = user.name.trim().split(/\s+/);
      return { id: user.id, username: user.email, first, last: rest.join(" "), role: null, userType: "user" };
    }
    const key = keys.get(actorId);
    if (key || actorId.startsWith("key_")) {
      const username = key ? `${key.key_start}… (${key.description})` : actorId;
      return { id: actorId, username, first: "", last: "", role: null, userType: "integration_key" };
    }
    if (actorId === "cli")
      return { id: "cli", username: "cli", first: "", last: "", role: null, userType: "cli" };
    return { id: actorId, username: actorId, first: "", last: "", role: null, userType: "system" };
  };
}
