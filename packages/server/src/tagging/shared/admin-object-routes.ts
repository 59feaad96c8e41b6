import type { Static, TObject } from "@sinclair/typebox";
import type { AdminRouteDeps } from "../../access/admin-route-deps.js";
import { sessionOf } from "../../access/sessions/session-guard.js";
import { requirePermission } from "../../access/users/permissions.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { strictValidatorCompiler } from "../../platform/http/lazy-validators.js";
import { everyObject } from "./object-filter.js";
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
    { preHandler: requireSession, validatorCompiler, schema: { querystring: adminListQuery } },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "tagging.read");
      await api.beforeList?.(deps, session.subscriptionId);
      const appId = request.query.appId;
      const filter = appId === undefined ? everyObject : { appIds: [appId], ids: null };
      return { [api.listKey]: await api.list(db, session.subscriptionId, filter) };
    },
  );

  app.get(
    `${path}/:id`,
    {
      preHandler: requireSession,
      validatorCompiler,
      schema: { params: objectIdParams, querystring: noAdminQuery },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "tagging.read");
      return api.get(db, session.subscriptionId, request.params.id);
    },
  );

  app.post(
    path,
    {
      preHandler: requireSession,
      validatorCompiler,
      schema: { querystring: noAdminQuery, body: api.createBody },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "tagging.manage");
      const actor = { id: session.user.id, ip: request.ip };
      const created = await api.create(db, session.subscriptionId, request.body as Static<Create>, actor);
      return reply.code(201).send(created);
    },
  );

  app.put(
    `${path}/:id`,
    {
      preHandler: requireSession,
      validatorCompiler,
      schema: { params: objectIdParams, querystring: noAdminQuery, body: api.updateBody },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "tagging.manage");
      const actor = { id: session.user.id, ip: request.ip };
      return api.update(db, session.subscriptionId, request.params.id, request.body as Static<Update>, actor);
    },
  );

  app.delete(
    `${path}/:id`,
    {
      preHandler: requireSession,
      validatorCompiler,
      schema: { params: objectIdParams, querystring: noAdminQuery },
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
