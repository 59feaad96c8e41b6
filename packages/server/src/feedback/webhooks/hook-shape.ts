import { type Static, Type } from "@sinclair/typebox";
import { isoTime, stringEnum } from "../../platform/http/schema-kit.js";
import { feedbackHookEvents } from "./webhook-events.js";

/** A webhook subscription as the Feedback API shows it. */
export const hookShape = Type.Object({
  id: Type.String(),
  event: stringEnum(feedbackHookEvents),
  targetUrl: Type.String(),
  createdAt: isoTime(),
});

export type Hook = Static<typeof hookShape>;

/** A hook with its signing secret: answered once, when it is created or its secret rolled. */
export const hookWithSecretShape = Type.Composite([
  hookShape,
  Type.Object({
    secret: Type.String({
      description:
        "Signs every delivery (Cairn-Signature); shown only in this answer. Keep it with the receiver; roll it if lost.",
    }),
  }),
]);
