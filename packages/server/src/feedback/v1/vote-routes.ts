import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { pageOf, voteResultShape, voteShape } from "../ideas/idea-shapes.js";
import { castVote, listVotes } from "../ideas/vote-service.js";
import { feedbackCallerOf } from "./feedback-caller.js";
import { castVoteBody, ideaIdParams, listVotesQuery, noQuery } from "./idea-schemas.js";

/** An idea's votes: one per end user, set (or removed with 0) by POST, listed by GET. */
export function registerVoteRoutes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;

  app.post(
    "/api/v1/ideas/:id/votes",
    {
      schema: {
        summary: "Set an end user's vote on an idea",
        description: 'A quantity of 0 removes the vote; −1 is "not interested".',
        params: ideaIdParams,
        body: castVoteBody,
        querystring: noQuery,
        response: { 200: voteResultShape },
      },
    },
    async (request) => castVote(db, feedbackCallerOf(request), request.params.id, request.body),
  );

  app.get(
    "/api/v1/ideas/:id/votes",
    {
      schema: {
        summary: "List an idea's votes",
        params: ideaIdParams,
        querystring: listVotesQuery,
        response: { 200: pageOf(voteShape) },
      },
    },
    async (request) =>
      listVotes(db, feedbackCallerOf(request), request.params.id, {
        limit: request.query.limit,
        start: request.query.start,
        orderBy: request.query.order_by,
        orderDir: request.query.order_dir,
      }),
  );
}
