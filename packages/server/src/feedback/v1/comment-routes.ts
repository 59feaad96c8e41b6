import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { addComment, listComments } from "../ideas/comment-service.js";
import { commentShape, pageOf } from "../ideas/idea-shapes.js";
import { feedbackCallerOf } from "./feedback-caller.js";
import { addCommentBody, ideaIdParams, listCommentsQuery, noQuery } from "./idea-schemas.js";

/** An idea's comments: added by POST, listed oldest first by GET. */
export function registerCommentRoutes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;

  app.post(
    "/api/v1/ideas/:id/comments",
    {
      schema: {
        summary: "Comment on an idea",
        params: ideaIdParams,
        body: addCommentBody,
        querystring: noQuery,
        response: { 201: commentShape },
      },
    },
    async (request, reply) => {
      const comment = await addComment(db, feedbackCallerOf(request), request.params.id, request.body);
      return reply.code(201).send(comment);
    },
  );

  app.get(
    "/api/v1/ideas/:id/comments",
    {
      schema: {
        summary: "List an idea's comments, oldest first",
        params: ideaIdParams,
        querystring: listCommentsQuery,
        response: { 200: pageOf(commentShape) },
      },
    },
    async (request) =>
      listComments(db, feedbackCallerOf(request), request.params.id, {
        limit: request.query.limit,
        start: request.query.start,
        orderDir: request.query.order_dir,
      }),
  );
}
