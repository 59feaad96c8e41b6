import type { FastifyInstance } from "fastify";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import type { EndUserInput } from "../end-users/end-users.js";
import { castVote, listVotes, type VoteOrderField } from "../ideas/vote-service.js";
import { feedbackCallerOf } from "./feedback-caller.js";
import { castVoteBody, ideaIdParams, listVotesQuery, noQuery } from "./idea-schemas.js";

interface ListVotesQuery {
  limit?: number;
  start?: number;
  order_by?: VoteOrderField;
  order_dir?: "asc" | "desc";
}

/** An idea's votes: one per end user, set (or removed with 0) by POST, listed by GET. */
export function registerVoteRoutes(app: FastifyInstance, metadata: MetadataStore): void {
  const db = metadata.db;

  app.post<{ Params: { id: string }; Body: { user: EndUserInput; quantity: number } }>(
    "/api/v1/ideas/:id/votes",
    { schema: { params: ideaIdParams, body: castVoteBody, querystring: noQuery } },
    async (request) => castVote(db, feedbackCallerOf(request), request.params.id, request.body),
  );

  app.get<{ Params: { id: string }; Querystring: ListVotesQuery }>(
    "/api/v1/ideas/:id/votes",
    { schema: { params: ideaIdParams, querystring: listVotesQuery } },
    async (request) =>
      listVotes(db, feedbackCallerOf(request), request.params.id, {
        limit: request.query.limit,
        start: request.query.start,
        orderBy: request.query.order_by,
        orderDir: request.query.order_dir,
      }),
  );
}
