import { Type } from "@sinclair/typebox";
import { subscriptionOf } from "../../access/keys/subscription-of.js";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { ProfileStore } from "../../store/profiles/profile-store.js";
import { accountBody, visitorBody } from "./profile-shape.js";

const noQuery = Type.Object({}, { additionalProperties: false });

// The answer's schema, for the OpenAPI document; ProfileBody (profile-shape.ts) is what handlers return.
const fields = Type.Record(Type.String(), Type.Unknown());
const profileAnswer = Type.Object({
  id: Type.String(),
  metadata: Type.Object({
    agent: fields,
    auto: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
      description:
        "Cairn's own fields: id, firstvisit, lastvisit (epoch ms), and for visitors the last browser, OS, server and account.",
    }),
    custom: fields,
  }),
});

function notFound(kind: "visitor" | "account"): CairnError {
  return new CairnError("not_found", {
    message: `No ${kind} with this id in this subscription.`,
    hint: `A ${kind} appears once its first events are loaded (normally within a second), or when created with POST /api/v1/metadata/${kind}/custom/value?create=true.`,
  });
}

/** `GET /api/v1/visitor/:visitorId` and `GET /api/v1/account/:accountId`: one record and its metadata. */
export function registerProfileRoutes(app: CairnApp, deps: { profiles: ProfileStore }): void {
  const { profiles } = deps;
  app.get(
    "/api/v1/visitor/:visitorId",
    {
      schema: {
        summary: "Read a visitor and their metadata",
        params: Type.Object({ visitorId: Type.String() }),
        querystring: noQuery,
        response: { 200: profileAnswer },
      },
    },
    async (request) => {
      const visitor = await profiles.visitor(subscriptionOf(request), request.params.visitorId);
      if (!visitor) throw notFound("visitor");
      return visitorBody(visitor);
    },
  );

  app.get(
    "/api/v1/account/:accountId",
    {
      schema: {
        summary: "Read an account and its metadata",
        params: Type.Object({ accountId: Type.String() }),
        querystring: noQuery,
        response: { 200: profileAnswer },
      },
    },
    async (request) => {
      const account = await profiles.account(subscriptionOf(request), request.params.accountId);
      if (!account) throw notFound("account");
      return accountBody(account);
    },
  );
}
