import type { FastifyInstance } from "fastify";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import type { EndUserInput } from "../end-users/end-users.js";
import {
  createIdea,
  deleteIdea,
  getIdea,
  type IdeaOrderField,
  listIdeas,
  listStatusChanges,
  updateIdea,
} from "../ideas/idea-service.js";
import type { IdeaStatus } from "../ideas/idea-status.js";
import { feedbackCallerOf } from "./feedback-caller.js";
import { createIdeaBody, ideaIdParams, listIdeasQuery, noQuery, updateIdeaBody } from "./idea-schemas.js";

interface CreateIdeaBody {
  title: string;
  details?: string;
  user?: EndUserInput;
  tags?: string[];
  productArea?: string | null;
  private?: boolean;
}

interface UpdateIdeaBody {
  title?: string;
  details?: string;
  status?: IdeaStatus;
  tags?: string[];
  productArea?: string | null;
  private?: boolean;
  mergedInto?: string | null;
}

interface ListIdeasQuery {
  limit?: number;
  start?: number;
  order_by?: IdeaOrderField;
  order_dir?: "asc" | "desc";
  q?: string;
  status?: string;
}

/** Ideas: create, list and search, read, change, delete; and each idea's status history. */
export function registerIdeaRoutes(app: FastifyInstance, metadata: MetadataStore): void {
  const db = metadata.db;

  app.post<{ Body: CreateIdeaBody }>(
    "/api/v1/ideas",
    { schema: { body: createIdeaBody, querystring: noQuery } },
    async (request, reply) => {
      const idea = await createIdea(db, feedbackCallerOf(request), request.body);
      return reply.code(201).send(idea);
    },
  );

  app.get<{ Querystring: ListIdeasQuery }>(
    "/api/v1/ideas",
    { schema: { querystring: listIdeasQuery } },
    async (request) => {
      const query = request.query;
      return listIdeas(db, feedbackCallerOf(request), {
        limit: query.limit,
        start: query.start,
        orderBy: query.order_by,
        orderDir: query.order_dir,
        q: query.q,
        statuses: query.status?.split(",") as IdeaStatus[] | undefined,
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/ideas/:id",
    { schema: { params: ideaIdParams, querystring: noQuery } },
    async (request) => getIdea(db, feedbackCallerOf(request), request.params.id),
  );

  app.patch<{ Params: { id: string }; Body: UpdateIdeaBody }>(
    "/api/v1/ideas/:id",
    { schema: { params: ideaIdParams, body: updateIdeaBody, querystring: noQuery } },
    async (request) => updateIdea(db, feedbackCallerOf(request), request.params.id, request.body),
  );

  app.delete<{ Params: { id: string } }>(
    "/api/v1/ideas/:id",
    { schema: { params: ideaIdParams, querystring: noQuery } },
    async (request, reply) => {
      await deleteIdea(db, feedbackCallerOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/ideas/:id/status-changes",
    { schema: { params: ideaIdParams, querystring: noQuery } },
    async (request) => ({
      results: await listStatusChanges(db, feedbackCallerOf(request), request.params.id),
    }),
  );
}
