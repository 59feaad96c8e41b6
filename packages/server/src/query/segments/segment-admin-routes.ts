import { Type } from "@sinclair/typebox";
import type { AdminRouteDeps } from "../../access/admin-route-deps.js";
import { sessionOf } from "../../access/sessions/session-guard.js";
import { requirePermission } from "../../access/users/permissions.js";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { noContent } from "../../platform/http/common-schemas.js";
import { strictValidatorCompiler } from "../../platform/http/lazy-validators.js";
import type { EventQuery } from "../../store/events/event-query.js";
import type { ProfileMirror } from "../../store/events/profile-mirror.js";
import type { ProfileStore } from "../../store/profiles/profile-store.js";
import type { AggregationDeps } from "../aggregation/run/run-aggregation.js";
import { metadataSchema } from "../profiles/metadata-schema.js";
import { segmentLimits } from "./segment-limits.js";
import { segmentRuleSchema } from "./segment-rule.js";
import { previewSampleSize, ruleRunner } from "./segment-rule-run.js";
import {
  adminCreateBody,
  multistatusAnswer,
  patchBody,
  replaceBody,
  ruleFieldsAnswer,
  segmentIdParams,
} from "./segment-schemas.js";
import {
  createRuleSegment,
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  patchSegmentVisitors,
  previewRule,
  refreshSegment,
  replaceSegment,
} from "./segment-service.js";
import { segmentSchema } from "./segment-shape.js";

const noQuery = Type.Object({}, { additionalProperties: false });

/**
 * The admin API for segments (session cookie): `GET|POST /api/admin/segments`, `GET|PUT|DELETE …/:id`,
 * `PATCH …/:id/visitors`. Every role reads; members, admins and owners change them; changes are audited with
 * the user as actor. A segment made from a rule (`{name, rule}`) holds the visitors the rule matched when it was
 * made or last refreshed (`POST …/:id/refresh`); `POST …/preview` runs a rule without saving it, and
 * `GET …/fields` lists the visitor fields a rule may name.
 */
export function registerSegmentAdminRoutes(
  app: CairnApp,
  deps: Pick<AdminRouteDeps, "metadata" | "requireSession"> & {
    aggregation: AggregationDeps;
    profiles: { events: EventQuery; profiles: ProfileStore; profileMirror: ProfileMirror };
  },
): void {
  const db = deps.metadata.db;
  const runner = ruleRunner(deps.aggregation);
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
        summary: "Create a segment from a list of visitor ids, or from a rule (the visitors it matches now)",
        querystring: noQuery,
        body: adminCreateBody,
        response: { 201: segmentSchema },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "segments.manage");
      const { name, visitors, rule } = request.body;
      const actor = { id: session.user.id, ip: request.ip };
      if ((visitors === undefined) === (rule === undefined))
        throw new CairnError("bad_request", {
          message:
            visitors === undefined
              ? "Give the segment's visitors (a list of visitor ids) or a rule."
              : "Give visitors or a rule, not both.",
        });
      const segment =
        rule !== undefined
          ? await createRuleSegment(db, runner, session.subscriptionId, { name, rule }, actor)
          : await createSegment(db, session.subscriptionId, { name, visitors: visitors ?? [] }, actor, {
              createdByApi: false,
            });
      return reply.code(201).send(segment);
    },
  );

  app.post(
    "/api/admin/segments/preview",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "How many visitors a rule matches now, and the first few ids; saves nothing (any role)",
        querystring: noQuery,
        body: Type.Object({ rule: segmentRuleSchema }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            count: Type.Number(),
            sample: Type.Array(Type.String(), { description: `up to ${previewSampleSize} ids, in id order` }),
          }),
        },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "segments.read");
      return previewRule(runner, session.subscriptionId, request.body.rule);
    },
  );

  app.get(
    "/api/admin/segments/fields",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "The visitor fields a segment rule may name, with their types",
        querystring: noQuery,
        response: { 200: ruleFieldsAnswer },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "segments.read");
      const schema = await metadataSchema(deps.profiles, session.subscriptionId, "visitor");
      const fields = [{ field: "visitorId", type: "string" }];
      for (const group of ["agent", "custom", "auto"]) {
        for (const [name, field] of Object.entries(schema[group] ?? {}).sort(([a], [b]) =>
          a.localeCompare(b),
        ))
          fields.push({ field: `metadata.${group}.${name}`, type: field.Type });
      }
      return { fields };
    },
  );

  app.post(
    "/api/admin/segments/:id/refresh",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "Run a rule segment's rule again and make the visitors it matches now its members",
        params: segmentIdParams,
        querystring: noQuery,
        response: { 200: segmentSchema },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "segments.manage");
      return refreshSegment(db, runner, session.subscriptionId, request.params.id, {
        id: session.user.id,
        ip: request.ip,
      });
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
