import { Type } from "@sinclair/typebox";
import { keyActor } from "../../access/keys/key-actor.js";
import { subscriptionOf } from "../../access/keys/subscription-of.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { ignoredQuery } from "../../platform/http/common-schemas.js";
import { strictValidatorCompiler } from "../../platform/http/lazy-validators.js";
import type { ProfileKind } from "../../store/profiles/profile-records.js";
import {
  type BulkDeleteDeps,
  bulkDelete,
  bulkDeleteLimits,
  bulkDeleteSchema,
  getBulkDelete,
  idsOfBody,
  listBulkDeletes,
} from "./bulk-delete.js";

/**
 * `POST /api/v1/bulkdelete/{visitor|account}` (a write key), `GET /api/v1/bulkdelete`, `GET …/:id`: deleting
 * visitors (their events too) or accounts, each request recorded as a job answered when it has finished.
 */
export function registerBulkDeleteRoutes(app: CairnApp, deps: BulkDeleteDeps): void {
  const validatorCompiler = strictValidatorCompiler;

  for (const kind of ["visitor", "account"] as const satisfies readonly ProfileKind[]) {
    const field = kind === "visitor" ? "visitors" : "accounts";
    app.post(
      `/api/v1/bulkdelete/${kind}`,
      {
        validatorCompiler,
        bodyLimit: bulkDeleteLimits.bodyBytes,
        schema: {
          summary:
            kind === "visitor"
              ? "Delete visitors, their anonymous aliases and their events"
              : "Delete accounts (their visitors and events stay)",
          querystring: ignoredQuery,
          // Checked by the handler, with messages that name the entry.
          body: Type.Unknown({
            description: `{"${field}": ["id", …]} or the bare list; 1 to ${bulkDeleteLimits.idsPerRequest.toLocaleString("en")} ids`,
          }),
          response: { 200: bulkDeleteSchema },
        },
      },
      async (request) =>
        bulkDelete(deps, subscriptionOf(request), kind, idsOfBody(kind, request.body), keyActor(request)),
    );
  }

  app.get(
    "/api/v1/bulkdelete",
    {
      validatorCompiler,
      schema: {
        summary: "The bulk deletions asked for, newest first",
        querystring: ignoredQuery,
        response: { 200: Type.Array(bulkDeleteSchema) },
      },
    },
    async (request) => listBulkDeletes(deps, subscriptionOf(request)),
  );

  app.get(
    "/api/v1/bulkdelete/:id",
    {
      validatorCompiler,
      schema: {
        summary: "One bulk deletion",
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
        querystring: ignoredQuery,
        response: { 200: bulkDeleteSchema },
      },
    },
    async (request) => getBulkDelete(deps, subscriptionOf(request), request.params.id),
  );
}
