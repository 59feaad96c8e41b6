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
