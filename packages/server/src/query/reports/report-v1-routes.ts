import { Type } from "@sinclair/typebox";
import { keyActor } from "../../access/keys/key-actor.js";
import { subscriptionOf } from "../../access/keys/subscription-of.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { ignoredQuery, noContent } from "../../platform/http/common-schemas.js";
import { strictValidatorCompiler } from "../../platform/http/lazy-validators.js";
import { rowsAsCsv } from "./report-csv.js";
import {
  createReportBody,
  reportCsv,
  reportIdParams,
  reportRows,
  updateReportBody,
} from "./report-schemas.js";
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

/**
 * Saved reports in the integration-key context: `GET /api/v1/report`, `GET …/:id`, `GET …/:id/results.json`
 * (and `.csv`), which run the saved aggregation now; `POST`, `PUT …/:id`, `DELETE …/:id` with a write key.
 */
export function registerReportV1Routes(app: CairnApp, deps: ReportDeps): void {
  const db = deps.metadata.db;
  const validatorCompiler = strictValidatorCompiler;

  app.get(
    "/api/v1/report",
    {
      validatorCompiler,
      schema: {
        summary: "List saved reports",
        querystring: ignoredQuery,
        response: { 200: Type.Array(reportSchema) },
      },
    },
    async (request) => listReports(db, subscriptionOf(request)),
  );

  app.get(
    "/api/v1/report/:id",
    {
      validatorCompiler,
      schema: {
        summary: "Read a saved report",
        params: reportIdParams,
        querystring: ignoredQuery,
        response: { 200: reportSchema },
      },
    },
    async (request) => getReport(db, subscriptionOf(request), request.params.id),
  );

  app.get(
    "/api/v1/report/:id/results.json",
    {
      validatorCompiler,
      schema: {
        summary: "Run a saved report and answer its rows",
        params: reportIdParams,
        querystring: ignoredQuery,
        response: { 200: reportRows },
      },
    },
    async (request) => reportResults(deps, subscriptionOf(request), request.params.id),
  );

  app.get(
    "/api/v1/report/:id/results.csv",
    {
      validatorCompiler,
      schema: {
        summary: "Run a saved report and answer its rows as CSV",
        params: reportIdParams,
        querystring: ignoredQuery,
        response: { 200: reportCsv },
      },
    },
    async (request, reply) => {
      const rows = await reportResults(deps, subscriptionOf(request), request.params.id);
      return reply.type("text/csv; charset=utf-8").send(rowsAsCsv(rows));
    },
  );

  app.post(
    "/api/v1/report",
    {
      validatorCompiler,
      schema: {
        summary: "Save an aggregation as a report (refused with 400 invalid_pipeline if it cannot run)",
        querystring: ignoredQuery,
        body: createReportBody,
        response: { 201: reportSchema },
      },
    },
    async (request, reply) => {
      const report = await createReport(deps, subscriptionOf(request), request.body, keyActor(request));
      return reply.code(201).send(report);
    },
  );

  app.put(
    "/api/v1/report/:id",
    {
      validatorCompiler,
      schema: {
        summary: "Change a report's name or aggregation",
        params: reportIdParams,
        querystring: ignoredQuery,
        body: updateReportBody,
        response: { 200: reportSchema },
      },
    },
    async (request) =>
      updateReport(deps, subscriptionOf(request), request.params.id, request.body, keyActor(request)),
  );

  app.delete(
    "/api/v1/report/:id",
    {
      validatorCompiler,
      schema: {
        summary: "Delete a report",
        params: reportIdParams,
        querystring: ignoredQuery,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await deleteReport(db, subscriptionOf(request), request.params.id, keyActor(request));
      return reply.code(204).send();
    },
  );
}
