import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import {
  createIdea,
  deleteIdea,
  getIdea,
  listIdeas,
  listStatusChanges,
  updateIdea,
} from "../ideas/idea-service.js";
import type { IdeaStatus } from "../ideas/idea-status.js";
import { feedbackCallerOf } from "./feedback-caller.js";
import { createIdeaBody, ideaIdParams, listIdeasQuery, noQuery, updateIdeaBody } from "./idea-schemas.js";

/** Ideas: create, list and search, read, change, delete; and each idea's status history. */
export function registerIdeaRoutes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;

  app.post(
    "/api/v1/ideas",
    { schema: { body: createIdeaBody, querystring: noQuery } },
    async (request, reply) => {
      const idea = await createIdea(db, feedbackCallerOf(request), request.body);
      return reply.code(201).send(idea);
    },
  );

  app.get("/api/v1/ideas", { schema: { querystring: listIdeasQuery } }, async (request) => {
    const query = request.query;
    return listIdeas(db, feedbackCallerOf(request), {
      limit: query.limit,
      start: query.start,
      orderBy: query.order_by,
      orderDir: query.order_dir,
      q: query.q,
      // The schema's pattern admits only known statuses.
      statuses: query.status?.split(",") as IdeaStatus[] | undefined,
    });
  });

  app.get("/api/v1/ideas/:id", { schema: { params: ideaIdParams, querystring: noQuery } }, async (request) =>
    getIdea(db, feedbackCallerOf(request), request.params.id),
  );

  app.patch(
    "/api/v1/ideas/:id",
    { schema: { params: ideaIdParams, body: updateIdeaBody, querystring: noQuery } },
    async (request) => updateIdea(db, feedbackCallerOf(request), request.params.id, request.body),
  );

  app.delete(
    "/api/v1/ideas/:id",
    { schema: { params: ideaIdParams, querystring: noQuery } },
    async (request, reply) => {
      await deleteIdea(db, feedbackCallerOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    "/api/v1/ideas/:id/status-changes",
    { schema: { params: ideaIdParams, querystring: noQuery } },
    async (request) => ({
      results: await listStatusChanges(db, feedbackCallerOf(request), request.params.id),
    }),
  );
}
