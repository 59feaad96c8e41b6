import { Type } from "@sinclair/typebox";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { checkedByHandler } from "../../platform/http/schema-kit.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { keyActor } from "../keys/key-actor.js";
import { subscriptionOf } from "../keys/subscription-of.js";
import { setDoNotProcess } from "./do-not-process.js";

const maxVisitorIdLength = 512;

/**
 * Pendo's Do-Not-Process flag (`PUT /api/v1/metadata/visitor/pendo/value/:visitorId/donotprocess`, body `true`
 * or `false`): a flagged visitor's agent is answered 451 by guide.json and stops sending (agent-wire.md §7.2).
 */
export function registerDoNotProcessRoute(app: CairnApp, deps: { metadata: MetadataStore }): void {
  app.put(
    "/api/v1/metadata/visitor/pendo/value/:id/donotprocess",
    {
      schema: {
        summary: "Mark a visitor do-not-process, or clear the mark",
        params: Type.Object({ id: Type.String() }),
        body: checkedByHandler(Type.Boolean(), "true to mark the visitor, false to clear the mark"),
        response: {
          200: Type.Object({ visitorId: Type.String(), doNotProcess: Type.Boolean() }),
        },
      },
    },
    async (request) => {
      const visitorId = request.params.id;
      if (visitorId === "" || visitorId.length > maxVisitorIdLength)
        throw new CairnError("bad_request", {
          message: `A visitor id has 1 to ${maxVisitorIdLength} characters.`,
        });
      const body: unknown = request.body;
      if (typeof body !== "boolean")
        throw new CairnError("bad_request", {
          message: `The body must be the JSON value true or false, not ${JSON.stringify(body)?.slice(0, 64) ?? "nothing"}.`,
          hint: "curl -X PUT … -H 'content-type: application/json' --data true",
        });
      await setDoNotProcess(deps.metadata.db, {
        subscriptionId: subscriptionOf(request),
        visitorId,
        doNotProcess: body,
        actor: keyActor(request),
      });
      return { visitorId, doNotProcess: body };
    },
  );
}
