import { Type } from "@sinclair/typebox";
import type { AdminRouteDeps } from "../../access/admin-route-deps.js";
import { sessionOf } from "../../access/sessions/session-guard.js";
import { requirePermission } from "../../access/users/permissions.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { noContent } from "../../platform/http/common-schemas.js";
import { strictValidatorCompiler } from "../../platform/http/lazy-validators.js";
import { segmentLimits } from "./segment-limits.js";
import { multistatusAnswer, patchBody, replaceBody, segmentIdParams, uploadBody } from "./segment-schemas.js";
import {
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  patchSegmentVisitors,
  replaceSegment,
} from "./segment-service.js";
import { segmentSchema } from "./segment-shape.js";

const noQuery = Type.Object({}, { additionalProperties: false });

/**
 * The admin API for segments (session cookie): `GET|POST /api/admin/segments`, `GET|PUT|DELETE …/:id`,
 * `PATCH …/:id/visitors`. Every role reads; members, admins and owners change them; changes are audited with
 * the user as actor.
 */
export function registerSegmentAdminRoutes(
  app: CairnApp,
  deps: Pick<AdminRouteDeps, "metadata" | "requireSession">,
): void {
  const db = deps.metadata.db;
  const preHandler = deps.requireSession;
  const validatorCompiler = strictValidatorCompiler;
  const bodyLimit = segmentLimits.bodyBytes;

  app.get(
    "/api/admin/segments",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "List segments",
        querystring: noQuery,
        response: { 200: Type.Object({ segments: Type.Array(segmentSchema) }) },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "segments.read");
      return { segments: await listSegments(db, session.subscriptionId) };
    },
  );

  app.get(
    "/api/admin/segments/:id",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "Read a segment",
        params: segmentIdParams,
        querystring: noQuery,
        response: { 200: segmentSchema },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "segments.read");
      return getSegment(db, session.subscriptionId, request.params.id);
    },
  );

  app.post(
    "/api/admin/segments",
    {
      preHandler,
      validatorCompiler,
      bodyLimit,
      schema: {
        summary: "Create a segment from a list of visitor ids",
        querystring: noQuery,
        body: uploadBody,
        response: { 201: segmentSchema },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "segments.manage");
      const segment = await createSegment(
        db,
        session.subscriptionId,
        request.body,
        { id: session.user.id, ip: request.ip },
        { createdByApi: false },
      );
      return reply.code(201).send(segment);
    },
  );

  app.put(
    "/api/admin/segments/:id",
    {
      preHandler,
      validatorCompiler,
      bodyLimit,
      schema: {
        summary: "Replace a segment's visitors (and its name, when given)",
        params: segmentIdParams,
        querystring: noQuery,
        body: replaceBody,
        response: { 200: segmentSchema },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "segments.manage");
      return replaceSegment(db, session.subscriptionId, request.params.id, request.body, {
        id: session.user.id,
        ip: request.ip,
      });
    },
  );

  app.patch(
    "/api/admin/segments/:id/visitors",
    {
      preHandler,
      validatorCompiler,
      bodyLimit,
      schema: {
        summary: "Add and remove visitors of a segment",
        params: segmentIdParams,
        querystring: noQuery,
        body: patchBody,
        response: { 200: multistatusAnswer },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "segments.manage");
      return patchSegmentVisitors(db, session.subscriptionId, request.params.id, request.body.patch, {
        id: session.user.id,
        ip: request.ip,
      });
    },
  );

  app.delete(
    "/api/admin/segments/:id",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "Delete a segment",
        params: segmentIdParams,
        querystring: noQuery,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "segments.manage");
      await deleteSegment(db, session.subscriptionId, request.params.id, {
        id: session.user.id,
        ip: request.ip,
      });
      return reply.code(204).send();
    },
  );
}
