import type { AdminRouteDeps } from "../../access/admin-route-deps.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { strictValidatorCompiler } from "../../platform/http/lazy-validators.js";
import { addComment, listComments } from "../ideas/comment-service.js";
import { feedbackLimits } from "../ideas/feedback-limits.js";
import { getIdea } from "../ideas/idea-service.js";
import { listVotes, voteAccounts } from "../ideas/vote-service.js";
import { adminFeedbackCaller, teamMemberAsEndUser } from "./admin-caller.js";
import { nextCursor, startOf, withTeamMember, withTeamMembers } from "./admin-idea-reads.js";
import {
  addCommentBody,
  adminCommentShape,
  commentListAnswer,
  ideaIdParams,
  ideaVotesAnswer,
  noQuery,
  pageQuery,
  voteAccountsLimit,
} from "./admin-idea-schemas.js";

/**
 * What end users said about an idea, for the Feedback board (session cookie): its comments (read by every role;
 * a member, admin or owner adds one as themselves, audited as `idea.commented`) and its votes with the accounts
 * behind them.
 */
export function registerIdeaActivityAdminRoutes(
  app: CairnApp,
  deps: Pick<AdminRouteDeps, "metadata" | "requireSession">,
): void {
  const db = deps.metadata.db;
  const preHandler = deps.requireSession;

  app.get(
    "/api/admin/ideas/:id/comments",
    {
      preHandler,
      schema: {
        summary: "List an idea's comments, oldest first",
        params: ideaIdParams,
        querystring: pageQuery,
        response: { 200: commentListAnswer },
      },
    },
    async (request) => {
      const caller = adminFeedbackCaller(request, "feedback.read");
      const start = startOf(request.query.after);
      const page = await listComments(db, caller, request.params.id, {
        limit: request.query.limit ?? feedbackLimits.defaultPageSize,
        start,
        orderDir: "asc",
      });
      return {
        comments: await withTeamMembers(db, caller.subscriptionId, page.results),
        total: page.total,
        next: nextCursor(start, page.results.length, page.total),
      };
    },
  );

  app.post(
    "/api/admin/ideas/:id/comments",
    {
      preHandler,
      validatorCompiler: strictValidatorCompiler,
      // Room for the longest comment (10,000 characters), each escaped as `\uXXXX`.
      bodyLimit: 128 * 1024,
      schema: {
        summary: "Comment on an idea as the signed-in user",
        description:
          "The comment is the user's: on the Feedback API and in webhooks its end user is `cairn-user:<user id>`, with the user's name and e-mail.",
        params: ideaIdParams,
        querystring: noQuery,
        body: addCommentBody,
        response: { 201: adminCommentShape },
      },
    },
    async (request, reply) => {
      const caller = adminFeedbackCaller(request, "feedback.manage");
      const comment = await addComment(db, caller, request.params.id, {
        user: teamMemberAsEndUser(request),
        text: request.body.body,
      });
      return reply.code(201).send(await withTeamMember(db, caller.subscriptionId, comment));
    },
  );

  app.get(
    "/api/admin/ideas/:id/votes",
    {
      preHandler,
      schema: {
        summary: "An idea's votes and the accounts behind them",
        description: `The vote counts, the voters' accounts (at most ${voteAccountsLimit}), and a page of the votes, newest first.`,
        params: ideaIdParams,
        querystring: pageQuery,
        response: { 200: ideaVotesAnswer },
      },
    },
    async (request) => {
      const caller = adminFeedbackCaller(request, "feedback.read");
      const idea = await getIdea(db, caller, request.params.id);
      const start = startOf(request.query.after);
      const voters = await listVotes(db, caller, idea.id, {
        limit: request.query.limit ?? feedbackLimits.defaultPageSize,
        start,
      });
      return {
        votes: idea.votes,
        accounts: await voteAccounts(db, caller, idea.id, voteAccountsLimit),
        voters: {
          results: voters.results,
          total: voters.total,
          next: nextCursor(start, voters.results.length, voters.total),
        },
      };
    },
  );
}
