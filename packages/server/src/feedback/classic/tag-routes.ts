import { Type } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { getTags, setTags, type TagTarget } from "../ideas/tag-service.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import { tag, tagsBody } from "./classic-change-schemas.js";
import { cairnIdOf } from "./classic-ids.js";
import { idParams, noQuery } from "./classic-schemas.js";

const tagPaths: ReadonlyArray<readonly [string, TagTarget]> = [
  ["/features/:id/tags", "feature"],
  ["/users/:id/tags", "user"],
  ["/accounts/:id/tags", "account"],
];

/**
 * The custom tags of features, end users and accounts, by number (or Cairn's id): GET answers them as given, POST
 * replaces them all with its body (a bare array), DELETE removes them all (as Pendo's does; it names none).
 */
export function registerTagRoutes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;

  const tags = { 200: Type.Array(tag) };
  for (const [path, target] of tagPaths) {
    const byId = { params: idParams, querystring: noQuery, response: tags };
    const named = async (request: FastifyRequest, ref: string) => {
      const caller = feedbackCallerOf(request);
      return { caller, id: await cairnIdOf(db, caller, target, ref) };
    };
    app.get(path, { schema: { ...byId, summary: `Read a ${target}'s tags` } }, async (request) => {
      const { caller, id } = await named(request, request.params.id);
      return getTags(db, caller, target, id);
    });

    const replace = { ...byId, summary: `Replace a ${target}'s tags`, body: tagsBody };
    app.post(path, { schema: replace }, async (request) => {
      const { caller, id } = await named(request, request.params.id);
      return setTags(db, caller, target, id, request.body);
    });

    app.delete(path, { schema: { ...byId, summary: `Remove a ${target}'s tags` } }, async (request) => {
      const { caller, id } = await named(request, request.params.id);
      return setTags(db, caller, target, id, []);
    });
  }
}
