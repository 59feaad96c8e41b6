import { Type } from "@sinclair/typebox";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { listComments } from "../ideas/comment-service.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import { commentsOf } from "./classic-answers.js";
import { listCommentsQuery } from "./classic-change-schemas.js";
import { cairnIdOf } from "./classic-ids.js";
import { classicComment } from "./classic-shapes.js";

/**
 * A feature's comments, newest first unless `order_dir=asc`, as Pendo's `GET /comments?case_id=` answers them
 * (clients rely on newest first); `case` and `offset` are read as `case_id` and `start`, as clients send them.
 */
export function registerCommentRoutes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;

  const schema = {
    summary: "List a feature request's comments, newest first",
    querystring: listCommentsQuery,
    response: { 200: Type.Array(classicComment) },
  };
  app.get("/comments", { schema }, async (request) => {
    const query = request.query;
    const caller = feedbackCallerOf(request);
    // The schema requires one of the two.
    const ideaId = query.case_id ?? query.case ?? "";
    const page = await listComments(db, caller, await cairnIdOf(db, caller, "feature", ideaId), {
      limit: query.limit,
      start: query.start ?? query.offset,
      orderDir: query.order_dir ?? "desc",
    });
    return commentsOf(db, caller, page.results);
  });
}
