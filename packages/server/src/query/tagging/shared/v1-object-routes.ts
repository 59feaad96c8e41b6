import { type Static, type TObject, Type } from "@sinclair/typebox";
import { subscriptionOf } from "../../../access/keys/subscription-of.js";
import { CairnError } from "../../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../../platform/http/cairn-app.js";
import { strictValidatorCompiler } from "../../../platform/http/lazy-validators.js";
import { noContent } from "../../../platform/http/schema-kit.js";
import { v1ListFilter } from "./object-filter.js";

/** An object as the services return it, typed as the answer schemas describe it (their shapes match). */
type Answer = Record<string, unknown>;

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

  const one = api.objectSchema;
  app.get(
    path,
    {
      validatorCompiler,
      schema: {
        summary: `List ${api.noun}s (the default app; ?expand=* every app; ?id=a,b)`,
        querystring: v1ListQuery,
        response: { 200: Type.Array(one) },
      },
    },
    async (request) => {
      const subscriptionId = subscriptionOf(request);
      const filter = await v1ListFilter(db, subscriptionId, request.query);
      await api.beforeList?.(deps, subscriptionId);
      return (await api.list(db, subscriptionId, filter)) as Answer[];
    },
  );

  app.get(
    `${path}/:id`,
    {
      validatorCompiler,
      schema: {
        summary: `Read one ${api.noun}`,
        params: objectIdParams,
        querystring: ignoredQuery,
        response: { 200: one },
      },
    },
    async (request) => (await api.get(db, subscriptionOf(request), request.params.id)) as Answer,
  );

  app.post(
    path,
    {
      validatorCompiler,
      schema: {
        summary: `Create a ${api.noun} (write key)`,
        querystring: ignoredQuery,
        body: api.createBody,
        response: { 201: one },
      },
    },
    async (request, reply) => {
      const actor = { id: keyIdOf(request), ip: request.ip };
      const created = await api.create(db, subscriptionOf(request), request.body as Static<Create>, actor);
      return reply.code(201).send(created as Answer);
    },
  );

  app.put(
    `${path}/:id`,
    {
      validatorCompiler,
      schema: {
        summary: `Change a ${api.noun}: the fields given (write key)`,
        params: objectIdParams,
        querystring: ignoredQuery,
        body: api.updateBody,
        response: { 200: one },
      },
    },
    async (request) => {
      const actor = { id: keyIdOf(request), ip: request.ip };
      return (await api.update(
        db,
        subscriptionOf(request),
        request.params.id,
        request.body as Static<Update>,
        actor,
      )) as Answer;
    },
  );

  app.delete(
    `${path}/:id`,
    {
      validatorCompiler,
      schema: {
        summary: `Delete a ${api.noun} (write key)`,
        params: objectIdParams,
        querystring: ignoredQuery,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      const actor = { id: keyIdOf(request), ip: request.ip };
      await api.remove(db, subscriptionOf(request), request.params.id, actor);
      return reply.code(204).send();
    },
  );
}
