import type { Static } from "@sinclair/typebox";
import type { Kysely } from "kysely";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import type { Comment } from "../ideas/comment-service.js";
import type { FeedbackCaller, Idea } from "../ideas/idea-service.js";
import { featureTags } from "../ideas/tag-service.js";
import type { Vote } from "../ideas/vote-service.js";
import { loadNumbers } from "./classic-ids.js";
import {
  type classicComment,
  type classicFeature,
  type classicVote,
  toComment,
  toFeature,
  toVote,
} from "./classic-shapes.js";

type Db = Kysely<MetadataSchema>;

// Lists of Cairn's objects as the classic paths answer them, with the numbers (and tags as given) they name
// loaded in one go per list.

const userIdsOf = (users: ReadonlyArray<{ readonly id: string } | null>) =>
  users.flatMap((user) => (user === null ? [] : [user.id]));

export async function featuresOf(
  db: Db,
  caller: FeedbackCaller,
  ideas: readonly Idea[],
): Promise<Array<Static<typeof classicFeature>>> {
  const tags = await featureTags(db, ideas);
  const numbers = await loadNumbers(db, caller, {
    ideaIds: ideas.flatMap((idea) => (idea.mergedInto === null ? [idea.id] : [idea.id, idea.mergedInto])),
    userIds: userIdsOf(ideas.map((idea) => idea.creator)),
  });
  return ideas.map((idea) => toFeature(idea, tags.get(idea.id) ?? idea.tags, numbers));
}

export async function votesOf(
  db: Db,
  caller: FeedbackCaller,
  votes: readonly Vote[],
): Promise<Array<Static<typeof classicVote>>> {
  const numbers = await loadNumbers(db, caller, {
    ideaIds: votes.map((vote) => vote.ideaId),
    userIds: userIdsOf(votes.map((vote) => vote.user)),
  });
  return votes.map((vote) => toVote(vote, numbers));
}

export async function commentsOf(
  db: Db,
  caller: FeedbackCaller,
  comments: readonly Comment[],
): Promise<Array<Static<typeof classicComment>>> {
  const numbers = await loadNumbers(db, caller, {
    ideaIds: comments.map((comment) => comment.ideaId),
    userIds: userIdsOf(comments.map((comment) => comment.user)),
  });
  return comments.map((comment) => toComment(comment, numbers));
}
