import { Type } from "@sinclair/typebox";
import { checkedByHandler, stringEnum } from "../platform/http/schema-kit.js";
import { guideCreateSchema, guideUpdateSchema } from "./guide-input.js";
import { guideStates } from "./guide-words.js";

export const guideIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

export const guideVisitorParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200, description: "a guide's id, or `all` for every guide" }),
  visitorId: Type.String({ minLength: 1, maxLength: 1024 }),
});

export const createBody = checkedByHandler(
  guideCreateSchema,
  "A new guide (created as a draft). Checked field by field: a 400 names the first wrong one.",
);

export const updateBody = checkedByHandler(
  guideUpdateSchema,
  "The fields to change; steps and polls, when given, replace the guide's. A 400 names the first wrong field.",
);

export const stateBody = checkedByHandler(
  Type.Object({ state: stringEnum(guideStates) }),
  "The new state: draft, staged (needs staged visitors), public (needs a step and valid targeting) or disabled.",
);

export const segmentBody = checkedByHandler(
  Type.Object({ segmentId: Type.Union([Type.String(), Type.Null()]) }),
  "The segment the guide is shown to; null for everyone.",
);

export const resetAnswer = Type.Object({
  guideId: Type.Union([Type.String(), Type.Null()], { description: "null: every guide" }),
  visitorId: Type.String(),
  resetAt: Type.Number({ description: "epoch ms; the visitor's guide events before it no longer count" }),
});

/** What a body the handler reads is, when it is not an object: so a message can name the field. */
export function fieldOf(body: unknown, name: string): unknown {
  return typeof body === "object" && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

/** A reset carries no body: the guide and the visitor are named in the path. */
export const noBody = Type.Unknown({ description: "none: the guide and the visitor are named in the path" });

export const stagedResetAnswer = Type.Object({
  guideIds: Type.Array(Type.String(), { description: "the staged guides reset" }),
  resets: Type.Number({ description: "how many (guide, staged visitor) resets were recorded" }),
  resetAt: Type.Number({ description: "epoch ms" }),
});
