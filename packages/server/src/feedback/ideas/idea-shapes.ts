import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { isoTime, nullable, stringEnum } from "../../platform/http/schema-kit.js";
import { endUserShape } from "../end-users/end-user-shape.js";
import { ideaStatuses } from "./idea-status.js";

// What the Feedback API answers about ideas, votes and comments: the schemas of the OpenAPI document, and the
// services' types derived from them.

const ideaStatus = stringEnum(ideaStatuses);

/** How many end users want the idea, with what total weight, and how many said "not interested". */
export const voteCountsShape = Type.Object({
  count: Type.Integer(),
  quantity: Type.Integer(),
  notInterested: Type.Integer(),
});
export type VoteCounts = Static<typeof voteCountsShape>;

/** An idea as the Feedback API shows it. */
export const ideaShape = Type.Object({
  id: Type.String(),
  title: Type.String(),
  details: Type.String(),
  status: ideaStatus,
  statusChangedAt: isoTime(),
  waitingAt: nullable(isoTime()),
  plannedAt: nullable(isoTime()),
  developingAt: nullable(isoTime()),
  releasedAt: nullable(isoTime()),
  declinedAt: nullable(isoTime()),
  productArea: nullable(Type.String()),
  tags: Type.Array(Type.String()),
  private: Type.Boolean(),
  mergedInto: nullable(Type.String({ description: "The idea this one was merged into." })),
  creator: nullable(endUserShape),
  votes: voteCountsShape,
  comments: Type.Integer({ description: "How many comments it has." }),
  createdAt: isoTime(),
  updatedAt: isoTime(),
});
export type Idea = Static<typeof ideaShape>;

export const statusChangeShape = Type.Object({
  from: nullable(ideaStatus),
  to: ideaStatus,
  at: isoTime(),
});
export type StatusChange = Static<typeof statusChangeShape>;

/** One end user's vote on an idea. */
export const voteShape = Type.Object({
  ideaId: Type.String(),
  user: nullable(endUserShape, "Null once the end user was deleted: the vote stays and counts."),
  quantity: Type.Integer({
    description: '−1 is "not interested"; 1 to 1,000,000 is how much the user wants it.',
  }),
  createdAt: isoTime(),
  updatedAt: isoTime(),
});
export type Vote = Static<typeof voteShape>;

export const voteResultShape = Type.Object({
  vote: nullable(voteShape, "The vote as it now stands; null once removed (quantity 0)."),
  votes: voteCountsShape,
});
export type VoteResult = Static<typeof voteResultShape>;

export const commentShape = Type.Object({
  id: Type.String(),
  ideaId: Type.String(),
  user: nullable(endUserShape, "Null once the end user was deleted: the comment stays."),
  text: Type.String({ description: "Exactly as sent: HTML in it is text." }),
  createdAt: isoTime(),
});
export type Comment = Static<typeof commentShape>;

/** One page of a Feedback API list (the type is `Page<T>` in page.ts). */
export function pageOf<T extends TSchema>(item: T) {
  return Type.Object({
    results: Type.Array(item),
    total: Type.Integer({ description: "Every match, on this page and the others." }),
    start: Type.Integer({ description: "The offset of the first result." }),
    limit: Type.Integer(),
  });
}
