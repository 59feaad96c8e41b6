import { Type } from "@sinclair/typebox";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { castVote, listVotesBy, type Vote } from "../ideas/vote-service.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import { votesOf } from "./classic-answers.js";
import { cairnIdOf, externalUserIdOf, liveFeatureIds, optionally } from "./classic-ids.js";
import { castVotesBody, listVotesQuery, noQuery } from "./classic-schemas.js";
import { classicVote } from "./classic-shapes.js";

/**
 * Votes across the subscription's ideas, by end user (the team's own id) and by feature, newest first; `offset`
 * is read as `start`, as clients page with either.
 */
export function registerVoteRoutes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;

  const votes = { 200: Type.Array(classicVote) };
  app.get(
    "/votes",
    { schema: { summary: "List votes, newest first", querystring: listVotesQuery, response: votes } },
    async (request) => {
      const query = request.query;
      const caller = feedbackCallerOf(request);
      const page = await listVotesBy(db, caller, {
        limit: query.limit,
        start: query.start ?? query.offset,
        userId: await optionally(query.user_id, (id) => externalUserIdOf(db, caller, id)),
        ideaId: await optionally(query.feature_id, (id) => cairnIdOf(db, caller, "feature", id)),
        positive: query.positive,
        negative: query.negative,
      });
      return votesOf(db, caller, page.results);
    },
  );

  const castSchema = {
    summary: "Cast an end user's votes",
    description: "Answers the votes as they now stand; a vote set to 0 is removed and left out.",
    body: castVotesBody,
    querystring: noQuery,
    response: votes,
  };
  app.post("/votes", { schema: castSchema }, async (request) => {
    const caller = feedbackCallerOf(request);
    const { user_id: userRef, votes } = request.body;
    // A number is a User's id; a string the team's own id, as castVote takes it.
    const userId = typeof userRef === "number" ? await externalUserIdOf(db, caller, userRef) : userRef;
    // Every feature is checked before any vote is cast, so an unknown or deleted one (404, 410) changes nothing.
    const ideaIds = await liveFeatureIds(
      db,
      caller,
      votes.map((vote) => vote.feature_id),
    );
    const cast: Vote[] = [];
    for (const [index, vote] of votes.entries()) {
      const result = await castVote(db, caller, ideaIds[index] ?? "", {
        user: { id: userId },
        quantity: vote.quantity,
      });
      if (result.vote) cast.push(result.vote);
    }
    return votesOf(db, caller, cast);
  });
}
