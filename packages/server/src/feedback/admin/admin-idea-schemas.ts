import { type Static, Type } from "@sinclair/typebox";
import { nullable, stringEnum, text } from "../../platform/http/schema-kit.js";
import { feedbackLimits as limits } from "../ideas/feedback-limits.js";
import {
  commentShape,
  ideaShape,
  statusChangeShape,
  voteCountsShape,
  voteShape,
} from "../ideas/idea-shapes.js";
import { ideaStatuses } from "../ideas/idea-status.js";
import { statusesSchema } from "../v1/idea-schemas.js";

// The admin API's requests and answers about ideas (the Feedback board, signed in with a session). The ideas,
// comments and votes are the Feedback API's shapes, with what the board shows besides. Every request object
// refuses fields it does not know, so a typo is a 400 naming it.

export { ideaIdParams } from "../v1/idea-schemas.js";

/** A query string that takes nothing. */
export const noQuery = Type.Object({}, { additionalProperties: false });

/** Where a list goes on: the `next` of the page before. */
const after = Type.Optional(
  Type.String({
    pattern: "^[0-9]{1,9}$",
    description: "The `next` of the previous page (an opaque cursor); left out for the first page.",
  }),
);
const limit = Type.Optional(
  Type.Integer({
    minimum: 1,
    maximum: limits.maxPageSize,
    description: `At most this many (default ${limits.defaultPageSize}).`,
  }),
);
const next = nullable(Type.String(), "Pass as `after` for the next page; null on the last page.");

export const adminIdeaSorts = ["votes", "newest", "updated"] as const;

export const listIdeasQuery = Type.Object(
  {
    status: Type.Optional(statusesSchema),
    search: Type.Optional(
      Type.String({
        maxLength: limits.searchLength,
        description: "Words that must each appear in the title or the details, ignoring case.",
      }),
    ),
    sort: Type.Optional(
      stringEnum(adminIdeaSorts, {
        description:
          "`votes` (default): most end users first, then the greater weight; `newest`: by creation; `updated`: last changed first.",
      }),
    ),
    limit,
    after,
  },
  { additionalProperties: false },
);

export const pageQuery = Type.Object({ limit, after }, { additionalProperties: false });

/** Only the fields present change; a new status is recorded with its time, as on the Feedback API. */
export const updateIdeaBody = Type.Object(
  {
    title: Type.Optional(text(limits.titleLength, 1)),
    details: Type.Optional(text(limits.detailsLength)),
    status: Type.Optional(stringEnum(ideaStatuses)),
  },
  { minProperties: 1, additionalProperties: false },
);

export const mergeIdeaBody = Type.Object(
  { into: text(100, 1) },
  { additionalProperties: false, description: "The idea this one is merged into." },
);

export const addCommentBody = Type.Object(
  {
    body: Type.String({
      minLength: 1,
      maxLength: limits.commentLength,
      description: "Stored exactly as sent: HTML in it is text.",
    }),
  },
  { additionalProperties: false },
);

/** An idea as the board shows it: the Feedback API's idea, and where it came from. */
export const adminIdeaShape = Type.Object({
  ...ideaShape.properties,
  source: stringEnum(["api", "panel"], {
    description:
      "`panel`: sent by an end user from an app's in-app feedback panel; `api`: by a Feedback key.",
  }),
  app: nullable(
    Type.Object({ id: Type.String(), name: Type.String() }),
    "The app whose panel it came from; null for ideas sent with a Feedback key, which covers every app.",
  ),
});
export type AdminIdea = Static<typeof adminIdeaShape>;

export const ideaListAnswer = Type.Object({
  ideas: Type.Array(adminIdeaShape),
  total: Type.Integer({ description: "Every match, on this page and the others." }),
  next,
});

export const ideaDetailAnswer = Type.Object({
  ...adminIdeaShape.properties,
  statusChanges: Type.Array(statusChangeShape, {
    description: "Every status it entered, oldest first, starting with `new` when it was created.",
  }),
});

/** A comment as the board shows it: the Feedback API's, and the team member who wrote it here. */
export const adminCommentShape = Type.Object({
  ...commentShape.properties,
  teamMember: nullable(
    Type.Object({ id: Type.String(), name: Type.String() }),
    "The signed-in user who wrote it through the admin API; null for an end user's comment.",
  ),
});
export type AdminComment = Static<typeof adminCommentShape>;

export const commentListAnswer = Type.Object({
  comments: Type.Array(adminCommentShape),
  total: Type.Integer(),
  next,
});

export const accountVotesShape = Type.Object({
  account: nullable(
    Type.Object({ id: Type.String(), name: nullable(Type.String()) }),
    "Null for end users without an account (and deleted ones).",
  ),
  voters: Type.Integer({ description: "The account's end users who want the idea (a vote above 0)." }),
  quantity: Type.Integer({ description: "The total weight of their votes." }),
  notInterested: Type.Integer({ description: 'The account\'s end users who said "not interested".' }),
});

export const voteAccountsLimit = limits.maxPageSize;

export const ideaVotesAnswer = Type.Object({
  votes: voteCountsShape,
  accounts: Type.Object({
    results: Type.Array(accountVotesShape, {
      description: `Most voters first, then the greater weight; at most ${voteAccountsLimit}.`,
    }),
    total: Type.Integer({ description: "Every account behind a vote." }),
  }),
  voters: Type.Object({
    results: Type.Array(voteShape, { description: "Newest first, each with its end user and account." }),
    total: Type.Integer(),
    next,
  }),
});
