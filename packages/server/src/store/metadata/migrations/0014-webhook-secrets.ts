import type { Kysely } from "kysely";
import { randomBase62 } from "../../../platform/ids/random-base62.js";

// Each hook's signing secret, kept as written: the server signs every delivery with it, so it cannot be a hash
// like the keys. Hooks from before get one each; nobody has seen it, so their owners roll it to learn it
// (POST /api/v1/hooks/:id/roll-secret). Written out here rather than imported: a migration never changes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("feedback_hooks").addColumn("signing_secret", "text").execute();
  const typed = db as Kysely<{ feedback_hooks: { id: string; signing_secret: string | null } }>;
  const hooks = await typed.selectFrom("feedback_hooks").select("id").execute();
  for (const hook of hooks) {
    await typed
      .updateTable("feedback_hooks")
      .set({ signing_secret: `cws_${randomBase62(43)}` })
      .where("id", "=", hook.id)
      .execute();
  }
}
