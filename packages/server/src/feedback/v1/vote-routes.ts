import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { castVote, listVotes } from "../ideas/vote-service.js";
import { feedbackCallerOf } from "./feedback-caller.js";
import { castVoteBody, ideaIdParams, listVotesQuery, noQuery } from "./idea-schemas.js";

/** An idea's votes: one per end user, set (or removed with 0) by POST, listed by GET. */
export function registerVoteRoutes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;

  app.post(
    "/api/v1/ideas/:id/votes",
    { schema: { params: ideaIdParams, body: castVoteBody, querystring: noQuery } },
    async (request) => castVote(db, feedbackCallerOf(request), request.params.id, request.body),
  );

  app.get(
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
