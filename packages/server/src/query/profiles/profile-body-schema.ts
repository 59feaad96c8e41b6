import { Type } from "@sinclair/typebox";

const fields = Type.Record(Type.String(), Type.Unknown());

/** The answer schema of a visitor or account as `GET /api/v1/visitor/:id` gives one (profile-shape.ts). */
export const profileBodySchema = Type.Object({
  id: Type.String(),
  metadata: Type.Object({
    agent: fields,
    auto: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
      description:
        "Cairn's own fields: id, firstvisit, lastvisit (epoch ms), the last browser, OS, server, account",
    }),
    custom: fields,
  }),
});
