import { Type } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import type { CollectorDeps } from "../../collect/collector-deps.js";
import { collectorCorsHeaders } from "../../collect/cors.js";
import { resolveCollectorApp } from "../../collect/resolve-app.js";
import { anonymousPrefix } from "../../ingest/profile-patches.js";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { text } from "../../platform/http/schema-kit.js";
import { endUserInput } from "../end-users/end-user-input.js";
import type { EndUserInput } from "../end-users/end-users.js";
import { feedbackLimits } from "../ideas/feedback-limits.js";
import { ideaNotFound } from "../ideas/find-idea.js";
import { createIdea, type FeedbackCaller, getIdea, type Idea, listIdeas } from "../ideas/idea-service.js";
import { castVote, listVotesBy } from "../ideas/vote-service.js";
import { createIdeaListCache } from "./idea-list-cache.js";
import { checkReader, signedVisitor, writerTrust } from "./widget-identity.js";
import { createWidgetLimiter, defaultWidgetLimits, type WidgetLimits } from "./widget-limits.js";

export interface WidgetDeps
  extends Pick<CollectorDeps, "metadata" | "verifier" | "appKeys" | "sharedCounts"> {
  readonly widgetLimits?: WidgetLimits;
}

/** What the panel shows of an idea: never its details or who created it (other users' data). */
export interface WidgetIdea {
  readonly id: string;
  readonly title: string;
  readonly status: Idea["status"];
  readonly votes: number;
  /** The visitor's own vote: 1 wanted, -1 not interested, 0 none. */
  readonly myVote: number;
}

const shownIdeas = 50;

const createBody = Type.Object(
  {
    user: endUserInput,
    title: text(feedbackLimits.titleLength, 1),
    details: Type.Optional(text(feedbackLimits.detailsLength)),
  },
  { additionalProperties: false },
);

const voteBody = Type.Object(
  {
    user: endUserInput,
    ideaId: text(100, 1),
    quantity: Type.Unsafe<-1 | 0 | 1>({ type: "integer", enum: [-1, 0, 1] }),
  },
  { additionalProperties: false },
);

const listQuery = Type.Object(
  { visitorId: Type.Optional(text(feedbackLimits.externalIdLength, 1)) },
  { additionalProperties: false },
);

/** Any string: resolveCollectorApp checks the app key and answers as the other collector routes do. */
const appKeyParams = Type.Object({ appKey: Type.String() });

function toWidgetIdea(idea: Idea, myVote: number): WidgetIdea {
  return { id: idea.id, title: idea.title, status: idea.status, votes: idea.votes.count, myVote };
}

/**
 * The collector side of the in-app feedback panel (`/data/feedback/:appKey/…`): with the public app key, a
 * page may list the app's public ideas and create ideas and votes, only for the identified visitor it names,
 * only when an admin turned the panel on, and only so many per hour per visitor and per client address.
 * The page is not trusted with anyone's identity: without an identity token its back end signed
 * (`x-cairn-identity`, widget-identity.ts) it may create an end user but never change one, and where the
 * app requires the token, nothing about a visitor is read or written without one for that visitor.
 */
export function registerFeedbackWidgetRoutes(app: CairnApp, deps: WidgetDeps): void {
  const limiter = createWidgetLimiter(deps.widgetLimits, deps.sharedCounts);
  const ideaLists = createIdeaListCache(deps.widgetLimits?.listCacheMs ?? defaultWidgetLimits.listCacheMs);
  const db = deps.metadata.db;

  async function panelCaller(request: FastifyRequest, appKey: string) {
    const resolved = await resolveCollectorApp(deps, request, appKey);
    if (!resolved.feedbackWidget) throw new CairnError("feedback_widget_off");
    // Recorded as the writer of what the panel creates, where a key's id stands for API writes.
    const caller: FeedbackCaller & { appId: string } = {
      subscriptionId: resolved.subscriptionId,
      keyId: `widget:${resolved.appId}`,
      appId: resolved.appId,
    };
    const policy = resolved.identity;
    return { caller, policy, signed: signedVisitor(request, policy) };
  }

  function identified(user: EndUserInput): EndUserInput {
    if (user.id.startsWith(anonymousPrefix)) throw new CairnError("anonymous_visitor");
    return user;
  }

  app.register(async (panel: CairnApp) => {
    panel.addHook("onRequest", async (_request, reply) => {
      reply.headers(collectorCorsHeaders);
    });

    panel.get(
      "/data/feedback/:appKey/ideas",
      { schema: { params: appKeyParams, querystring: listQuery } },
      async (request) => {
        const { caller, policy, signed } = await panelCaller(request, request.params.appKey);
        // The panel never shows creators, so they are not loaded.
        const ideas = await ideaLists.get(caller.appId, async () => {
          const page = await listIdeas(db, caller, {
            isPrivate: false,
            orderBy: "votes",
            limit: shownIdeas,
            withCreators: false,
          });
          return page.results;
        });
        const mine = new Map<string, number>();
        const { visitorId } = request.query;
        if (visitorId !== undefined && !visitorId.startsWith(anonymousPrefix)) {
          checkReader(visitorId, signed, policy);
          const votes = await listVotesBy(db, caller, {
            userId: visitorId,
            limit: feedbackLimits.maxPageSize,
          });
          for (const vote of votes.results) mine.set(vote.ideaId, vote.quantity);
        }
        return {
          ideas: ideas
            .filter((idea) => idea.mergedInto === null)
            .map((idea) => toWidgetIdea(idea, mine.get(idea.id) ?? 0)),
        };
      },
    );

    panel.post(
      "/data/feedback/:appKey/ideas",
      { schema: { params: appKeyParams, body: createBody }, bodyLimit: 128 * 1024 },
      async (request, reply) => {
        const panel = await panelCaller(request, request.params.appKey);
        const user = identified(request.body.user);
        const caller = { ...panel.caller, endUserTrust: writerTrust(user, panel.signed, panel.policy) };
        limiter.take("idea", caller.appId, user.id, request.ip);
        ideaLists.forget(caller.appId);
        const created = await createIdea(db, caller, {
          title: request.body.title,
          ...(request.body.details === undefined ? {} : { details: request.body.details }),
          user,
        });
        // Whoever asks for an idea wants it: their vote is its first.
        const { votes } = await castVote(db, caller, created.id, { user, quantity: 1 });
        return reply.code(201).send({ idea: toWidgetIdea({ ...created, votes }, 1) });
      },
    );

    panel.post(
      "/data/feedback/:appKey/votes",
      { schema: { params: appKeyParams, body: voteBody }, bodyLimit: 16 * 1024 },
      async (request) => {
        const panel = await panelCaller(request, request.params.appKey);
        const user = identified(request.body.user);
        const caller = { ...panel.caller, endUserTrust: writerTrust(user, panel.signed, panel.policy) };
        const idea = await getIdea(db, caller, request.body.ideaId);
        // A private idea is not the panel's to show or count votes on: as if it did not exist.
        if (idea.private) throw ideaNotFound(idea.id);
        limiter.take("vote", caller.appId, user.id, request.ip);
        ideaLists.forget(caller.appId);
        const { votes } = await castVote(db, caller, idea.id, { user, quantity: request.body.quantity });
        return { idea: toWidgetIdea({ ...idea, votes }, request.body.quantity) };
      },
    );
  });
}
