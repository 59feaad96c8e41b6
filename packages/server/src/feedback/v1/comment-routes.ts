import type { FastifyInstance } from "fastify";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import type { EndUserInput } from "../end-users/end-users.js";
import { addComment, listComments } from "../ideas/comment-service.js";
import { feedbackCallerOf } from "./feedback-caller.js";
import { addCommentBody, ideaIdParams, listCommentsQuery, noQuery } from "./idea-schemas.js";

/** An idea's comments: added by POST, listed oldest first by GET. */
export function registerCommentRoutes(app: FastifyInstance, metadata: MetadataStore): void {
  const db = metadata.db;

  app.post<{ Params: { id: string }; Body: { user: EndUserInput; text: string } }>(
    "/api/v1/ideas/:id/comments",
    { schema: { params: ideaIdParams, body: addCommentBody, querystring: noQuery } },
    async (request, reply) => {
      const comment = await addComment(db, feedbackCallerOf(request), request.params.id, request.body);
      return reply.code(201).send(comment);
    },
  );

  app.get<{
    Params: { id: string };
    Querystring: { limit?: number; start?: number; order_dir?: "asc" | "desc" };
  }>(
    "/api/v1/ideas/:id/comments",
    { schema: { params: ideaIdParams, querystring: listCommentsQuery } },
    async (request) =>
      listComments(db, feedbackCallerOf(request), request.params.id, {
        limit: request.query.limit,
        start: request.query.start,
        orderDir: request.query.order_dir,
      }),
  );
}
