import { Type } from "@sinclair/typebox";
import { keyActor } from "../../access/keys/key-actor.js";
import { subscriptionOf } from "../../access/keys/subscription-of.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { ignoredQuery, noContent } from "../../platform/http/common-schemas.js";
import { strictValidatorCompiler } from "../../platform/http/lazy-validators.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { segmentLimits } from "./segment-limits.js";
import {
  listQuery,
  multistatusAnswer,
  noBody,
  patchBody,
  replaceBody,
  segmentIdParams,
  segmentVisitorParams,
  statusAnswer,
  uploadBody,
} from "./segment-schemas.js";
import {
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  patchSegmentVisitors,
  replaceSegment,
  segmentStatus,
} from "./segment-service.js";
import { segmentSchema } from "./segment-shape.js";

const tooLarge = { bodyLimit: segmentLimits.bodyBytes };

/**
 * Pendo's segment routes (pendo-api.md §3.5) in the integration-key context: reads with any integration key,
 * writes with a write key. Another subscription's segment answers 404.
 */
export function registerSegmentV1Routes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;
  const validatorCompiler = strictValidatorCompiler;

  app.get(
    "/api/v1/segment",
    {
      validatorCompiler,
      schema: {
        summary: "List segments (?createdByApi=true: only those created through the API)",
        querystring: listQuery,
        response: { 200: Type.Array(segmentSchema) },
      },
    },
    async (request) => {
      const { createdByApi } = request.query;
      return listSegments(
        db,
        subscriptionOf(request),
        createdByApi === undefined ? {} : { createdByApi: createdByApi === "true" },
      );
    },
  );

  app.get(
    "/api/v1/segment/:id",
    {
      validatorCompiler,
      schema: {
        summary: "Read a segment",
        params: segmentIdParams,
        querystring: ignoredQuery,
        response: { 200: segmentSchema },
      },
    },
    async (request) => getSegment(db, subscriptionOf(request), request.params.id),
  );

  app.get(
    "/api/v1/segment/:id/status",
    {
      validatorCompiler,
      schema: {
        summary: "Whether a write to a segment is in progress, and its entity tag",
        params: segmentIdParams,
        querystring: ignoredQuery,
        response: { 200: statusAnswer },
      },
    },
    async (request) => segmentStatus(db, subscriptionOf(request), request.params.id),
  );

  app.post(
    "/api/v1/segment/upload",
    {
      ...tooLarge,
      validatorCompiler,
      schema: {
        summary: "Create a segment from a list of visitor ids",
        querystring: ignoredQuery,
        body: uploadBody,
        response: { 200: Type.Object({ segmentId: Type.String() }) },
      },
    },
    async (request) => {
      const segment = await createSegment(db, subscriptionOf(request), request.body, keyActor(request), {
        createdByApi: true,
      });
      return { segmentId: segment.id };
    },
  );

  app.patch(
    "/api/v1/segment/:id/visitor",
    {
      ...tooLarge,
      validatorCompiler,
      schema: {
        summary: "Add and remove visitors of a segment; 409 while another write to it is in progress",
        params: segmentIdParams,
        querystring: ignoredQuery,
        body: patchBody,
        response: { 200: multistatusAnswer },
      },
    },
    async (request) =>
      patchSegmentVisitors(
        db,
        subscriptionOf(request),
        request.params.id,
        request.body.patch,
        keyActor(request),
      ),
  );

  app.put(
    "/api/v1/segment/:id",
    {
      ...tooLarge,
      validatorCompiler,
      schema: {
        summary: "Replace a segment's visitors (and its name, when given)",
        params: segmentIdParams,
        querystring: ignoredQuery,
        body: replaceBody,
        response: { 200: segmentSchema },
      },
    },
    async (request) =>
      replaceSegment(db, subscriptionOf(request), request.params.id, request.body, keyActor(request)),
  );

  app.delete(
    "/api/v1/segment/:id",
    {
      validatorCompiler,
      schema: {
        summary: "Delete a segment",
        params: segmentIdParams,
        querystring: ignoredQuery,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await deleteSegment(db, subscriptionOf(request), request.params.id, keyActor(request));
      return reply.code(204).send();
    },
  );

  for (const [method, op] of [
    ["PUT", "add"],
    ["DELETE", "remove"],
  ] as const) {
    app.route({
      method,
      url: "/api/v1/segment/:id/visitor/:visitorId",
      validatorCompiler,
      schema: {
        summary: op === "add" ? "Add one visitor to a segment" : "Remove one visitor from a segment",
        params: segmentVisitorParams,
        querystring: ignoredQuery,
        ...(method === "PUT" ? { body: noBody } : {}),
        response: { 200: multistatusAnswer },
      },
      handler: async (request) => {
        const { id, visitorId } = request.params as { id: string; visitorId: string };
        return patchSegmentVisitors(
          db,
          subscriptionOf(request),
          id,
          [{ op, path: "/visitors", value: [visitorId] }],
          keyActor(request),
        );
      },
    });
  }
}
