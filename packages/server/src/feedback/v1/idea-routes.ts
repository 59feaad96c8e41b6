import { Type } from "@sinclair/typebox";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { noContent } from "../../platform/http/schema-kit.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import {
  createIdea,
  deleteIdea,
  getIdea,
  listIdeas,
  listStatusChanges,
  updateIdea,
} from "../ideas/idea-service.js";
import { ideaShape, pageOf, statusChangeShape } from "../ideas/idea-shapes.js";
import type { IdeaStatus } from "../ideas/idea-status.js";
import { feedbackCallerOf } from "./feedback-caller.js";
import { createIdeaBody, ideaIdParams, listIdeasQuery, noQuery, updateIdeaBody } from "./idea-schemas.js";

/** Ideas: create, list and search, read, change, delete; and each idea's status history. */
export function registerIdeaRoutes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;

  app.post(
    "/api/v1/ideas",
    {
      schema: {
        summary: "Create an idea",
        body: createIdeaBody,
        querystring: noQuery,
        response: { 201: ideaShape },
      },
    },
    async (request, reply) => {
      const idea = await createIdea(db, feedbackCallerOf(request), request.body);
      return reply.code(201).send(idea);
    },
  );

  const listSchema = {
    summary: "List and search ideas",
    querystring: listIdeasQuery,
    response: { 200: pageOf(ideaShape) },
  };
  app.get("/api/v1/ideas", { schema: listSchema }, async (request) => {
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

  app.get(
    "/api/v1/ideas/:id",
    {
      schema: {
        summary: "Read an idea",
        params: ideaIdParams,
        querystring: noQuery,
        response: { 200: ideaShape },
      },
    },
    async (request) => getIdea(db, feedbackCallerOf(request), request.params.id),
  );

  app.patch(
    "/api/v1/ideas/:id",
    {
      schema: {
        summary: "Change an idea",
        params: ideaIdParams,
        body: updateIdeaBody,
        querystring: noQuery,
        response: { 200: ideaShape },
      },
    },
    async (request) => updateIdea(db, feedbackCallerOf(request), request.params.id, request.body),
  );

  app.delete(
    "/api/v1/ideas/:id",
    {
      schema: {
        summary: "Delete an idea",
        params: ideaIdParams,
        querystring: noQuery,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await deleteIdea(db, feedbackCallerOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    "/api/v1/ideas/:id/status-changes",
    {
      schema: {
        summary: "An idea's status history",
        params: ideaIdParams,
        querystring: noQuery,
        response: { 200: Type.Object({ results: Type.Array(statusChangeShape) }) },
      },
    },
    async (request) => ({
      results: await listStatusChanges(db, feedbackCallerOf(request), request.params.id),
    }),
  );
}
