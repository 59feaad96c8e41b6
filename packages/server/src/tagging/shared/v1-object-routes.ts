import type { Static, TObject } from "@sinclair/typebox";
import { subscriptionOf } from "../../access/keys/subscription-of.js";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { strictValidatorCompiler } from "../../platform/http/lazy-validators.js";
import { v1ListFilter } from "./object-filter.js";
import type { TaggedObjectApi, TaggingRouteDeps } from "./tagged-object-api.js";
import { ignoredQuery, objectIdParams, v1ListQuery } from "./tagging-schemas.js";

/** The id of the key that made the request: what the object and the audit log record as its author. */
function keyIdOf(request: { cairnKey: { id: string } | null }): string {
  if (!request.cairnKey) throw new CairnError("internal");
  return request.cairnKey.id;
}

/**
 * Pendo's v1 routes for one kind, in the integration-key context (the guard admits reads with any integration
 * key and writes with a write key): `GET /api/v1/<kind>` (`?expand=*`, `?id=a,b`), `GET /api/v1/<kind>/:id`,
 * `POST`, `PUT /:id` (the fields given), `DELETE /:id`. Another subscription's id answers 404.
 */
export function registerV1ObjectRoutes<Create extends TObject, Update extends TObject>(
  app: CairnApp,
  deps: TaggingRouteDeps,
  api: TaggedObjectApi<Create, Update>,
): void {
  const db = deps.metadata.db;
  const path = `/api/v1/${api.v1Path}`;
  const validatorCompiler = strictValidatorCompiler;

  app.get(path, { validatorCompiler, schema: { querystring: v1ListQuery } }, async (request) => {
    const subscriptionId = subscriptionOf(request);
    const filter = await v1ListFilter(db, subscriptionId, request.query);
    await api.beforeList?.(deps, subscriptionId);
    return api.list(db, subscriptionId, filter);
  });

  app.get(
    `${path}/:id`,
    { validatorCompiler, schema: { params: objectIdParams, querystring: ignoredQuery } },
    async (request) => api.get(db, subscriptionOf(request), request.params.id),
  );

  app.post(
    path,
    { validatorCompiler, schema: { querystring: ignoredQuery, body: api.createBody } },
    async (request, reply) => {
      const actor = { id: keyIdOf(request), ip: request.ip };
      const created = await api.create(db, subscriptionOf(request), request.body as Static<Create>, actor);
      return reply.code(201).send(created);
    },
  );

  app.put(
    `${path}/:id`,
    {
      validatorCompiler,
      schema: { params: objectIdParams, querystring: ignoredQuery, body: api.updateBody },
    },
    async (request) => {
      const actor = { id: keyIdOf(request), ip: request.ip };
      return api.update(
        db,
        subscriptionOf(request),
        request.params.id,
        request.body as Static<Update>,
        actor,
      );
    },
  );

  app.delete(
    `${path}/:id`,
    { validatorCompiler, schema: { params: objectIdParams, querystring: ignoredQuery } },
    async (request, reply) => {
      const actor = { id: keyIdOf(request), ip: request.ip };
      await api.remove(db, subscriptionOf(request), request.params.id, actor);
      return reply.code(204).send();
    },
  );
}
