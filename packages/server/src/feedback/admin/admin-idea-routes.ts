import type { AdminRouteDeps } from "../../access/admin-route-deps.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { strictValidatorCompiler } from "../../platform/http/lazy-validators.js";
import { noContent } from "../../platform/http/schema-kit.js";
import { feedbackLimits } from "../ideas/feedback-limits.js";
import {
  deleteIdea,
  getIdea,
  type IdeaOrderField,
  listIdeas,
  listStatusChanges,
  updateIdea,
} from "../ideas/idea-service.js";
import type { IdeaStatus } from "../ideas/idea-status.js";
import { adminFeedbackCaller } from "./admin-caller.js";
import { nextCursor, startOf, withOrigin, withOrigins } from "./admin-idea-reads.js";
import {
  adminIdeaShape,
  type adminIdeaSorts,
  ideaDetailAnswer,
  ideaIdParams,
  ideaListAnswer,
  listIdeasQuery,
  mergeIdeaBody,
  noQuery,
  updateIdeaBody,
} from "./admin-idea-schemas.js";

const orderOf: Record<(typeof adminIdeaSorts)[number], IdeaOrderField> = {
  votes: "votes",
  newest: "created_at",
  updated: "updated_at",
};

/** Room for the longest details (20,000 characters), each escaped as `\uXXXX`. */
const bodyLimit = 256 * 1024;

/**
 * The Feedback board's ideas (session cookie): list, read, change (title, details, status), merge and delete,
 * through the services the Feedback API uses. Every role reads; members, admins and owners change; each change
 * is audited with the user as actor (`idea.updated`, `idea.merged`, `idea.deleted`).
 */
export function registerIdeaAdminRoutes(
  app: CairnApp,
  deps: Pick<AdminRouteDeps, "metadata" | "requireSession">,
): void {
  const db = deps.metadata.db;
  const preHandler = deps.requireSession;

  app.get(
    "/api/admin/ideas",
    {
      preHandler,
      schema: {
        summary: "List and search ideas",
        querystring: listIdeasQuery,
        response: { 200: ideaListAnswer },
      },
    },
    async (request) => {
      const caller = adminFeedbackCaller(request, "feedback.read");
      const query = request.query;
      const start = startOf(query.after);
      const page = await listIdeas(db, caller, {
        limit: query.limit ?? feedbackLimits.defaultPageSize,
        start,
        orderBy: orderOf[query.sort ?? "votes"],
        orderDir: "desc",
        q: query.search,
        // The schema's pattern admits only known statuses.
        statuses: query.status?.split(",") as IdeaStatus[] | undefined,
      });
      return {
        ideas: await withOrigins(db, caller.subscriptionId, page.results),
        total: page.total,
        next: nextCursor(start, page.results.length, page.total),
      };
    },
  );

  app.get(
    "/api/admin/ideas/:id",
    {
      preHandler,
      schema: {
        summary: "Read an idea with its status history",
        params: ideaIdParams,
        querystring: noQuery,
        response: { 200: ideaDetailAnswer },
      },
    },
    async (request) => {
      const caller = adminFeedbackCaller(request, "feedback.read");
      const idea = await getIdea(db, caller, request.params.id);
      const statusChanges = await listStatusChanges(db, caller, idea.id);
      return { ...(await withOrigin(db, caller.subscriptionId, idea)), statusChanges };
    },
  );

  app.patch(
    "/api/admin/ideas/:id",
    {
      preHandler,
      validatorCompiler: strictValidatorCompiler,
      bodyLimit,
      schema: {
        summary: "Change an idea's title, details or status",
        description: "A new status is recorded with its time, as on the Feedback API.",
        params: ideaIdParams,
        querystring: noQuery,
        body: updateIdeaBody,
        response: { 200: adminIdeaShape },
      },
    },
    async (request) => {
      const caller = adminFeedbackCaller(request, "feedback.manage");
      const idea = await updateIdea(db, caller, request.params.id, request.body);
      return withOrigin(db, caller.subscriptionId, idea);
    },
  );

  app.post(
    "/api/admin/ideas/:id/merge",
    {
      preHandler,
      validatorCompiler: strictValidatorCompiler,
      schema: {
        summary: "Merge an idea into another",
        description:
          "The other idea must be of the subscription, not deleted and not merged itself (409 otherwise). The merged idea keeps its votes and comments and answers with `mergedInto`.",
        params: ideaIdParams,
        querystring: noQuery,
        body: mergeIdeaBody,
        response: { 200: adminIdeaShape },
      },
    },
    async (request) => {
      const caller = adminFeedbackCaller(request, "feedback.manage");
      const idea = await updateIdea(db, caller, request.params.id, { mergedInto: request.body.into });
      return withOrigin(db, caller.subscriptionId, idea);
    },
  );

  app.delete(
    "/api/admin/ideas/:id",
    {
      preHandler,
      validatorCompiler: strictValidatorCompiler,
      schema: {
        summary: "Delete an idea",
        description: "The idea is kept but answers 410 `gone` from then on, here and on the Feedback API.",
        params: ideaIdParams,
        querystring: noQuery,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await deleteIdea(db, adminFeedbackCaller(request, "feedback.manage"), request.params.id);
      return reply.code(204).send();
    },
  );
}
