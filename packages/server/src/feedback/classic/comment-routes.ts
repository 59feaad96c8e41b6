import type { FastifyInstance } from "fastify";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { listComments } from "../ideas/comment-service.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import { listCommentsQuery } from "./classic-change-schemas.js";
import { toComment } from "./classic-shapes.js";

/** A feature's comments, oldest first, as Pendo's `GET /comments?case_id=` answers them. */
export function registerCommentRoutes(app: FastifyInstance, metadata: MetadataStore): void {
  const db = metadata.db;

  app.get<{ Querystring: { case_id: string; limit?: number; start?: number } }>(
    "/comments",
    { schema: { querystring: listCommentsQuery } },
    async (request) => {
      const { case_id: ideaId, limit, start } = request.query;
      const page = await listComments(db, feedbackCallerOf(request), ideaId, { limit, start });
      return page.results.map(toComment);
    },
  );
}
