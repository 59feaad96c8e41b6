import { Type } from "@sinclair/typebox";
import { keyActor } from "../access/keys/key-actor.js";
import { subscriptionOf } from "../access/keys/subscription-of.js";
import { CairnError } from "../platform/errors/cairn-error.js";
import type { CairnApp } from "../platform/http/cairn-app.js";
import { ignoredQuery } from "../platform/http/common-schemas.js";
import { strictValidatorCompiler } from "../platform/http/lazy-validators.js";
import { v1ListFilter } from "../query/tagging/shared/object-filter.js";
import type { MetadataStore } from "../store/metadata/metadata-store.js";
import { resetGuideForVisitor, resetStagedGuides } from "./guide-resets.js";
import {
  fieldOf,
  guideIdParams,
  guideVisitorParams,
  noBody,
  resetAnswer,
  segmentBody,
  stagedResetAnswer,
  stateBody,
} from "./guide-schemas.js";
import { getGuide, listGuides, setGuideSegment, setGuideState } from "./guide-service.js";
import { guideSchema } from "./guide-shape.js";
import { type GuideState, guideStates } from "./guide-words.js";

const listQuery = Type.Object(
  {
    expand: Type.Optional(
      Type.String({ maxLength: 100, description: '"*": every app (default: the default app)' }),
    ),
    id: Type.Optional(Type.String({ maxLength: 100_000, description: "a comma-separated list of ids" })),
    state: Type.Optional(Type.String({ maxLength: 20, description: "draft, staged, public or disabled" })),
  },
  { additionalProperties: true, description: "other parameters (limit, offset…) are accepted and not read" },
);

/**
 * Pendo's guide routes (pendo-api.md §3.2, §6.1) in the integration-key context: reads with any integration
 * key; state and segment changes and resets with a write key. Another subscription's guide answers 404.
 */
export function registerGuideV1Routes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;
  const validatorCompiler = strictValidatorCompiler;

  app.get(
    "/api/v1/guide",
    {
      validatorCompiler,
      schema: {
        summary:
          "List guides: the default app's, every app's with ?expand=*, some with ?id=a,b, of one ?state=",
        querystring: listQuery,
        response: { 200: Type.Array(guideSchema) },
      },
    },
    async (request) => {
      const subscriptionId = subscriptionOf(request);
      const { state } = request.query;
      if (state !== undefined && !(guideStates as readonly string[]).includes(state))
        throw new CairnError("bad_request", {
          message: `?state= is ${JSON.stringify(state)}; it is one of ${guideStates.join(", ")}.`,
        });
      const filter = await v1ListFilter(db, subscriptionId, request.query);
      return listGuides(db, subscriptionId, {
        appIds: filter.appIds,
        ids: filter.ids,
        ...(state === undefined ? {} : { state: state as GuideState }),
      });
    },
  );

  app.get(
    "/api/v1/guide/:id",
    {
      validatorCompiler,
      schema: {
        summary: "Read a guide",
        params: guideIdParams,
        querystring: ignoredQuery,
        response: { 200: guideSchema },
      },
    },
    async (request) => getGuide(db, subscriptionOf(request), request.params.id),
  );

  app.put(
    "/api/v1/guide/:id/state",
    {
      validatorCompiler,
      schema: {
        summary: "Change a guide's state (public needs a step and valid targeting; staged, staged visitors)",
        params: guideIdParams,
        querystring: ignoredQuery,
        body: stateBody,
        response: { 200: guideSchema },
      },
    },
    async (request) =>
      setGuideState(
        db,
        subscriptionOf(request),
        request.params.id,
        fieldOf(request.body, "state"),
        keyActor(request),
      ),
  );

  app.put(
    "/api/v1/guide/:id/segment",
    {
      validatorCompiler,
      schema: {
        summary: "Set the segment a guide is shown to (null: everyone)",
        params: guideIdParams,
        querystring: ignoredQuery,
        body: segmentBody,
        response: { 200: guideSchema },
      },
    },
    async (request) => {
      const segmentId = fieldOf(request.body, "segmentId");
      if (segmentId !== null && typeof segmentId !== "string")
        throw new CairnError("bad_request", {
          message: 'segmentId: give a segment\'s id, or null for everyone: {"segmentId": "seg_…"}.',
        });
      return setGuideSegment(db, subscriptionOf(request), request.params.id, segmentId, keyActor(request));
    },
  );

  app.post(
    "/api/v1/guide/staged/reset",
    {
      validatorCompiler,
      schema: {
        summary: "Reset every staged guide for its staged visitors",
        querystring: ignoredQuery,
        body: noBody,
        response: { 200: stagedResetAnswer },
      },
    },
    async (request) => resetStagedGuides(db, subscriptionOf(request), null, keyActor(request)),
  );

  app.post(
    "/api/v1/guide/:id/reset",
    {
      validatorCompiler,
      schema: {
        summary: "Reset a staged guide for its staged visitors (409 for a guide in another state)",
        params: guideIdParams,
        querystring: ignoredQuery,
        body: noBody,
        response: { 200: stagedResetAnswer },
      },
    },
    async (request) => resetStagedGuides(db, subscriptionOf(request), request.params.id, keyActor(request)),
  );

  app.post(
    "/api/v1/guide/all/visitor/:visitorId/reset",
    {
      validatorCompiler,
      schema: {
        summary: "Reset every guide for one visitor: their earlier guide events no longer count",
        params: Type.Object({ visitorId: guideVisitorParams.properties.visitorId }),
        querystring: ignoredQuery,
        body: noBody,
        response: { 200: resetAnswer },
      },
    },
    async (request) =>
      resetGuideForVisitor(db, subscriptionOf(request), null, request.params.visitorId, keyActor(request)),
  );

  app.post(
    "/api/v1/guide/:id/visitor/:visitorId/reset",
    {
      validatorCompiler,
      schema: {
        summary: "Reset one guide for one visitor: their earlier events of it no longer count",
        params: guideVisitorParams,
        querystring: ignoredQuery,
        body: noBody,
        response: { 200: resetAnswer },
      },
    },
    async (request) => {
      const { id, visitorId } = request.params;
      return resetGuideForVisitor(
        db,
        subscriptionOf(request),
        id === "all" ? null : id,
        visitorId,
        keyActor(request),
      );
    },
  );
}
