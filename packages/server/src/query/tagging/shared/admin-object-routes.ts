import { type Static, type TObject, Type } from "@sinclair/typebox";
import type { AdminRouteDeps } from "../../../access/admin-route-deps.js";
import { sessionOf } from "../../../access/sessions/session-guard.js";
import { requirePermission } from "../../../access/users/permissions.js";
import type { CairnApp } from "../../../platform/http/cairn-app.js";
import { strictValidatorCompiler } from "../../../platform/http/lazy-validators.js";
import { noContent } from "../../../platform/http/schema-kit.js";
import { everyObject } from "./object-filter.js";

/** An object as the services return it, typed as the answer schemas describe it (their shapes match). */
type Answer = Record<string, unknown>;

import type { TaggedObjectApi, TaggingRouteDeps } from "./tagged-object-api.js";
import { adminListQuery, noAdminQuery, objectIdParams } from "./tagging-schemas.js";

/**
 * The admin API for one kind: `GET /api/admin/<kind>` (`{"<kind>": […]}`, every app or `?appId=`), `POST`,
 * `PUT /:id` (the fields given), `DELETE /:id` (204). Every role reads; members, admins and owners change.
 * Changes are audited with the user as actor.
 */
export function registerAdminObjectRoutes<Create extends TObject, Update extends TObject>(
  app: CairnApp,
  deps: TaggingRouteDeps & Pick<AdminRouteDeps, "requireSession">,
  api: TaggedObjectApi<Create, Update>,
): void {
  const db = deps.metadata.db;
  const { requireSession } = deps;
  const path = `/api/admin/${api.adminPath}`;
  const validatorCompiler = strictValidatorCompiler;

  app.get(
    path,
    {
      preHandler: requireSession,
      validatorCompiler,
      schema: {
        summary: `List ${api.noun}s (every app, or ?appId=)`,
        querystring: adminListQuery,
        response: {
          200: Type.Object({ [api.listKey]: Type.Array(api.objectSchema) }, { additionalProperties: false }),
        },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "tagging.read");
      await api.beforeList?.(deps, session.subscriptionId);
      const appId = request.query.appId;
      const filter = appId === undefined ? everyObject : { appIds: [appId], ids: null };
      return { [api.listKey]: (await api.list(db, session.subscriptionId, filter)) as Answer[] };
    },
  );

  app.get(
    `${path}/:id`,
    {
      preHandler: requireSession,
      validatorCompiler,
      schema: {
        summary: `Read one ${api.noun}`,
        params: objectIdParams,
        querystring: noAdminQuery,
        response: { 200: api.objectSchema },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "tagging.read");
      return (await api.get(db, session.subscriptionId, request.params.id)) as Answer;
    },
  );

  app.post(
    path,
    {
      preHandler: requireSession,
      validatorCompiler,
      schema: {
        summary: `Create a ${api.noun}`,
        querystring: noAdminQuery,
        body: api.createBody,
        response: { 201: api.objectSchema },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "tagging.manage");
      const actor = { id: session.user.id, ip: request.ip };
      const created = await api.create(db, session.subscriptionId, request.body as Static<Create>, actor);
      return reply.code(201).send(created as Answer);
    },
  );

  app.put(
    `${path}/:id`,
    {
      preHandler: requireSession,
      validatorCompiler,
      schema: {
        summary: `Change a ${api.noun}: the fields given`,
        params: objectIdParams,
        querystring: noAdminQuery,
        body: api.updateBody,
        response: { 200: api.objectSchema },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "tagging.manage");
      const actor = { id: session.user.id, ip: request.ip };
      return (await api.update(
        db,
        session.subscriptionId,
        request.params.id,
        request.body as Static<Update>,
        actor,
      )) as Answer;
    },
  );

  app.delete(
    `${path}/:id`,
    {
      preHandler: requireSession,
      validatorCompiler,
      schema: {
        summary: `Delete a ${api.noun}`,
        params: objectIdParams,
        querystring: noAdminQuery,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "tagging.manage");
      await api.remove(db, session.subscriptionId, request.params.id, {
        id: session.user.id,
        ip: request.ip,
      });
      return reply.code(204).send();
    },
  );
}
