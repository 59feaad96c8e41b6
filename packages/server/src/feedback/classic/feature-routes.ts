import type { Static } from "@sinclair/typebox";
import { Type } from "@sinclair/typebox";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { getIdea, type IdeaOrderField, listIdeas } from "../ideas/idea-service.js";
import type { IdeaStatus } from "../ideas/idea-status.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import { featuresOf } from "./classic-answers.js";
import { cairnIdOf, externalUserIdOf } from "./classic-ids.js";
import { idParams, listFeaturesQuery, noQuery, searchQuery } from "./classic-schemas.js";
import { classicFeature } from "./classic-shapes.js";

/** What the feature list and the search share. */
type FeatureListQuery = Pick<
  Static<typeof searchQuery>,
  "limit" | "start" | "order_by" | "order_dir" | "tags" | "products"
>;

function commaList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function paging(query: FeatureListQuery) {
  return {
    limit: query.limit,
    start: query.start,
    // No deleted feature is listed: by `deleted_at`, every one listed ties, and they come in creation order.
    orderBy: (query.order_by === "deleted_at" ? "created_at" : query.order_by) satisfies
      | IdeaOrderField
      | undefined,
    orderDir: query.order_dir,
    tags: commaList(query.tags),
    productAreas: commaList(query.products),
  };
}

/** Pendo's feature requests: Cairn's ideas, as a bare array of Features like Pendo answers. */
export function registerFeatureRoutes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;

  const features = { 200: Type.Array(classicFeature) };
  app.get(
    "/features",
    {
      schema: {
        summary: "List feature requests (ideas)",
        querystring: listFeaturesQuery,
        response: features,
      },
    },
    async (request) => {
      const query = request.query;
      const caller = feedbackCallerOf(request);
      const wantedBy = query.wanted_by;
      const page = await listIdeas(db, caller, {
        ...paging(query),
        isPrivate: query.is_private,
        wantedBy: wantedBy === undefined ? undefined : await externalUserIdOf(db, caller, wantedBy),
      });
      return featuresOf(db, caller, page.results);
    },
  );

  const featureSchema = {
    summary: "Read a feature request",
    params: idParams,
    querystring: noQuery,
    response: { 200: classicFeature },
  };
  app.get("/features/:id", { schema: featureSchema }, async (request) => {
    const caller = feedbackCallerOf(request);
    const id = await cairnIdOf(db, caller, "feature", request.params.id);
    const [feature] = await featuresOf(db, caller, [await getIdea(db, caller, id)]);
    return feature;
  });

  const searchSchema = { summary: "Search feature requests", querystring: searchQuery, response: features };
  app.get("/search", { schema: searchSchema }, async (request) => {
    const query = request.query;
    const caller = feedbackCallerOf(request);
    const page = await listIdeas(db, caller, {
      ...paging(query),
      q: query.q,
      statuses: commaList(query.status) as IdeaStatus[] | undefined,
    });
    return featuresOf(db, caller, page.results);
  });
}
