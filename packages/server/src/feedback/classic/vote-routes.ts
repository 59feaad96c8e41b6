import { Type } from "@sinclair/typebox";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { findLiveIdea } from "../ideas/find-idea.js";
import { castVote, listVotesBy, type Vote } from "../ideas/vote-service.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import { castVotesBody, listVotesQuery, noQuery } from "./classic-schemas.js";
import { classicVote, toVote } from "./classic-shapes.js";

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
      const page = await listVotesBy(db, feedbackCallerOf(request), {
        limit: query.limit,
        start: query.start ?? query.offset,
        userId: query.user_id,
        ideaId: query.feature_id,
        positive: query.positive,
        negative: query.negative,
      });
      return page.results.map(toVote);
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
    const { user_id: userId, votes } = request.body;
    // Every feature is checked before any vote is cast, so an unknown or deleted one (404, 410) changes nothing.
    for (const vote of votes) await findLiveIdea(db, caller.subscriptionId, vote.feature_id);
    const cast: Vote[] = [];
    for (const vote of votes) {
      const result = await castVote(db, caller, vote.feature_id, {
        user: { id: userId },
        quantity: vote.quantity,
      });
      if (result.vote) cast.push(result.vote);
    }
    return cast.map(toVote);
  });
}
