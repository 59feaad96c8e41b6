import { Type } from "@sinclair/typebox";
import type { AdminRouteDeps } from "../../access/admin-route-deps.js";
import { sessionOf } from "../../access/sessions/session-guard.js";
import { requirePermission } from "../../access/users/permissions.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { noContent } from "../../platform/http/common-schemas.js";
import { strictValidatorCompiler } from "../../platform/http/lazy-validators.js";
import { createReportBody, reportIdParams, reportRows, updateReportBody } from "./report-schemas.js";
import {
  createReport,
  deleteReport,
  getReport,
  listReports,
  type ReportDeps,
  reportResults,
  updateReport,
} from "./report-service.js";
import { reportSchema } from "./report-shape.js";

const noQuery = Type.Object({}, { additionalProperties: false });

/**
 * The admin API for saved reports (session cookie): `GET|POST /api/admin/reports`, `GET|PUT|DELETE …/:id`,
 * `GET …/:id/results` (`{"results": […]}`, run now). Every role reads and runs them; members, admins and owners
 * change them; changes are audited with the user as actor.
 */
export function registerReportAdminRoutes(
  app: CairnApp,
  deps: ReportDeps & Pick<AdminRouteDeps, "requireSession">,
): void {
  const db = deps.metadata.db;
  const preHandler = deps.requireSession;
  const validatorCompiler = strictValidatorCompiler;

  app.get(
    "/api/admin/reports",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "List saved reports",
        querystring: noQuery,
        response: { 200: Type.Object({ reports: Type.Array(reportSchema) }) },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "reports.read");
      return { reports: await listReports(db, session.subscriptionId) };
    },
  );

  app.get(
    "/api/admin/reports/:id",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "Read a report",
        params: reportIdParams,
        querystring: noQuery,
        response: { 200: reportSchema },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "reports.read");
      return getReport(db, session.subscriptionId, request.params.id);
    },
  );

  app.get(
    "/api/admin/reports/:id/results",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "Run a report now and answer its rows",
        params: reportIdParams,
        querystring: noQuery,
        response: { 200: Type.Object({ results: reportRows }) },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "reports.read");
      return { results: await reportResults(deps, session.subscriptionId, request.params.id) };
    },
  );

  app.post(
    "/api/admin/reports",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "Save an aggregation as a report (refused if it cannot run)",
        querystring: noQuery,
        body: createReportBody,
        response: { 201: reportSchema },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "reports.manage");
      const report = await createReport(deps, session.subscriptionId, request.body, {
        id: session.user.id,
        ip: request.ip,
      });
      return reply.code(201).send(report);
    },
  );

  app.put(
    "/api/admin/reports/:id",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "Change a report's name or aggregation",
        params: reportIdParams,
        querystring: noQuery,
        body: updateReportBody,
        response: { 200: reportSchema },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "reports.manage");
      return updateReport(deps, session.subscriptionId, request.params.id, request.body, {
        id: session.user.id,
        ip: request.ip,
      });
    },
  );

  app.delete(
    "/api/admin/reports/:id",
    {
      preHandler,
      validatorCompiler,
      schema: {
        summary: "Delete a report",
        params: reportIdParams,
        querystring: noQuery,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "reports.manage");
      await deleteReport(db, session.subscriptionId, request.params.id, {
        id: session.user.id,
        ip: request.ip,
      });
      return reply.code(204).send();
    },
  );
}
