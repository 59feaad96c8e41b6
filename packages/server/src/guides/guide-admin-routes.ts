import { Type } from "@sinclair/typebox";
import type { AdminRouteDeps } from "../access/admin-route-deps.js";
import { sessionOf } from "../access/sessions/session-guard.js";
import { requirePermission } from "../access/users/permissions.js";
import type { CairnApp } from "../platform/http/cairn-app.js";
import { noContent } from "../platform/http/common-schemas.js";
import { strictValidatorCompiler } from "../platform/http/lazy-validators.js";
import { stringEnum } from "../platform/http/schema-kit.js";
import { guideLimits } from "./guide-limits.js";
import { resetGuideForVisitor } from "./guide-resets.js";
import {
  createBody,
  fieldOf,
  guideIdParams,
  guideVisitorParams,
  noBody,
  resetAnswer,
  stateBody,
  updateBody,
} from "./guide-schemas.js";
import {
  createGuide,
  deleteGuide,
  getGuide,
  listGuides,
  setGuideState,
  updateGuide,
} from "./guide-service.js";
import { guideSchema } from "./guide-shape.js";
import { guideStates } from "./guide-words.js";

const noQuery = Type.Object({}, { additionalProperties: false });

/**
 * The admin API for guides (session cookie): `GET|POST /api/admin/guides`, `GET|PATCH|DELETE …/:id`,
 * `PUT …/:id/state`, `POST …/:id/visitor/:visitorId/reset` (`all` for every guide). Every role reads;
 * members, admins and owners change them; changes are audited with the user as actor.
 */
export function registerGuideAdminRoutes(
  app: CairnApp,
  deps: Pick<AdminRouteDeps, "metadata" | "requireSession">,
): void {
  const db = deps.metadata.db;
  const preHandler = deps.requireSession;
  const validatorCompiler = strictValidatorCompiler;
  const bodyLimit = guideLimits.bodyBytes;

  app.get(
    "/api/admin/guides",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "List guides",
        querystring: Type.Object(
          { state: Type.Optional(stringEnum(guideStates)) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ guides: Type.Array(guideSchema) }) },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "guides.read");
      const { state } = request.query;
      return { guides: await listGuides(db, session.subscriptionId, state === undefined ? {} : { state }) };
    },
  );

  app.get(
    "/api/admin/guides/:id",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "Read a guide",
        params: guideIdParams,
        querystring: noQuery,
        response: { 200: guideSchema },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "guides.read");
      return getGuide(db, session.subscriptionId, request.params.id);
    },
  );

  app.post(
    "/api/admin/guides",
    {
      preHandler,
      validatorCompiler,
      bodyLimit,
      schema: {
        summary: "Create a guide (a draft)",
        querystring: noQuery,
        body: createBody,
        response: { 201: guideSchema },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "guides.manage");
      const guide = await createGuide(db, session.subscriptionId, request.body, {
        id: session.user.id,
        ip: request.ip,
      });
      return reply.code(201).send(guide);
    },
  );

  app.patch(
    "/api/admin/guides/:id",
    {
      preHandler,
      validatorCompiler,
      bodyLimit,
      schema: {
        summary: "Change a guide's fields; steps and polls, when given, replace its own",
        params: guideIdParams,
        querystring: noQuery,
        body: updateBody,
        response: { 200: guideSchema },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "guides.manage");
      return updateGuide(db, session.subscriptionId, request.params.id, request.body, {
        id: session.user.id,
        ip: request.ip,
      });
    },
  );

  app.put(
    "/api/admin/guides/:id/state",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "Change a guide's state",
        params: guideIdParams,
        querystring: noQuery,
        body: stateBody,
        response: { 200: guideSchema },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "guides.manage");
      return setGuideState(db, session.subscriptionId, request.params.id, fieldOf(request.body, "state"), {
        id: session.user.id,
        ip: request.ip,
      });
    },
  );

  app.delete(
    "/api/admin/guides/:id",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "Delete a guide",
        params: guideIdParams,
        querystring: noQuery,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "guides.manage");
      await deleteGuide(db, session.subscriptionId, request.params.id, {
        id: session.user.id,
        ip: request.ip,
      });
      return reply.code(204).send();
    },
  );

  app.post(
    "/api/admin/guides/:id/visitor/:visitorId/reset",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary:
          "Reset a guide (or `all` guides) for one visitor: their earlier guide events no longer count",
        params: guideVisitorParams,
        querystring: noQuery,
        body: noBody,
        response: { 200: resetAnswer },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "guides.manage");
      const { id, visitorId } = request.params;
      return resetGuideForVisitor(db, session.subscriptionId, id === "all" ? null : id, visitorId, {
        id: session.user.id,
        ip: request.ip,
      });
    },
  );
}
