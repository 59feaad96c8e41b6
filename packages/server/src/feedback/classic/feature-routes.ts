import type { Static } from "@sinclair/typebox";
import { Type } from "@sinclair/typebox";
import type { Kysely } from "kysely";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { getIdea, type Idea, listIdeas } from "../ideas/idea-service.js";
import type { IdeaStatus } from "../ideas/idea-status.js";
import { featureTags } from "../ideas/tag-service.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import { idParams, listFeaturesQuery, noQuery, searchQuery } from "./classic-schemas.js";
import { classicFeature, toFeature } from "./classic-shapes.js";

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
    orderBy: query.order_by,
    orderDir: query.order_dir,
    tags: commaList(query.tags),
    productAreas: commaList(query.products),
  };
}

async function toFeatures(db: Kysely<MetadataSchema>, ideas: readonly Idea[]) {
  const tags = await featureTags(db, ideas);
  return ideas.map((idea) => toFeature(idea, tags.get(idea.id) ?? idea.tags));
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
      const page = await listIdeas(db, feedbackCallerOf(request), {
        ...paging(query),
        isPrivate: query.is_private,
        wantedBy: query.wanted_by,
      });
      return toFeatures(db, page.results);
    },
  );

  const featureSchema = {
    summary: "Read a feature request",
    params: idParams,
    querystring: noQuery,
    response: { 200: classicFeature },
  };
  app.get("/features/:id", { schema: featureSchema }, async (request) => {
    const [feature] = await toFeatures(db, [await getIdea(db, feedbackCallerOf(request), request.params.id)]);
    return feature;
  });

  const searchSchema = { summary: "Search feature requests", querystring: searchQuery, response: features };
  app.get("/search", { schema: searchSchema }, async (request) => {
    const query = request.query;
    const page = await listIdeas(db, feedbackCallerOf(request), {
      ...paging(query),
      q: query.q,
      statuses: commaList(query.status) as IdeaStatus[] | undefined,
    });
    return toFeatures(db, page.results);
  });
}
