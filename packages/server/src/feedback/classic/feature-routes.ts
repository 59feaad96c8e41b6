import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { getIdea, type Idea, listIdeas } from "../ideas/idea-service.js";
import type { IdeaStatus } from "../ideas/idea-status.js";
import { featureTags } from "../ideas/tag-service.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import {
  type FeatureOrderField,
  idParams,
  listFeaturesQuery,
  noQuery,
  searchQuery,
} from "./classic-schemas.js";
import { toFeature } from "./classic-shapes.js";

interface FeatureListQuery {
  limit?: number;
  start?: number;
  order_by?: FeatureOrderField;
  order_dir?: "asc" | "desc";
  tags?: string;
  products?: string;
}

interface FeaturesQuery extends FeatureListQuery {
  is_private?: boolean;
  wanted_by?: string;
}

interface SearchQuery extends FeatureListQuery {
  scope: "feature";
  q?: string;
  status?: string;
}

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
export function registerFeatureRoutes(app: FastifyInstance, metadata: MetadataStore): void {
  const db = metadata.db;

  app.get<{ Querystring: FeaturesQuery }>(
    "/features",
    { schema: { querystring: listFeaturesQuery } },
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

  app.get<{ Params: { id: string } }>(
    "/features/:id",
    { schema: { params: idParams, querystring: noQuery } },
    async (request) => {
      const [feature] = await toFeatures(db, [
        await getIdea(db, feedbackCallerOf(request), request.params.id),
      ]);
      return feature;
    },
  );

  app.get<{ Querystring: SearchQuery }>(
    "/search",
    { schema: { querystring: searchQuery } },
    async (request) => {
      const query = request.query;
      const page = await listIdeas(db, feedbackCallerOf(request), {
        ...paging(query),
        q: query.q,
        statuses: commaList(query.status) as IdeaStatus[] | undefined,
      });
      return toFeatures(db, page.results);
    },
  );
}
