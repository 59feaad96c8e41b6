import { Type } from "@sinclair/typebox";
import { subscriptionOf } from "../../access/keys/subscription-of.js";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { ProfileStore } from "../../store/profiles/profile-store.js";
import { accountBody, visitorBody } from "./profile-shape.js";

const noQuery = Type.Object({}, { additionalProperties: false });

function notFound(kind: "visitor" | "account"): CairnError {
  return new CairnError("not_found", {
    message: `No ${kind} with this id in this subscription.`,
    hint: `A ${kind} appears once its first events are loaded (normally within a second), or when created with POST /api/v1/metadata/${kind}/custom/value?create=true.`,
  });
}

/** `GET /api/v1/visitor/:visitorId` and `GET /api/v1/account/:accountId`: one record and its metadata. */
export function registerProfileRoutes(app: CairnApp, deps: { profiles: ProfileStore }): void {
  const { profiles } = deps;
  app.get<{ Params: { visitorId: string } }>(
    "/api/v1/visitor/:visitorId",
    { schema: { querystring: noQuery } },
    async (request) => {
      const visitor = await profiles.visitor(subscriptionOf(request), request.params.visitorId);
      if (!visitor) throw notFound("visitor");
      return visitorBody(visitor);
    },
  );

  app.get<{ Params: { accountId: string } }>(
    "/api/v1/account/:accountId",
    { schema: { querystring: noQuery } },
    async (request) => {
      const account = await profiles.account(subscriptionOf(request), request.params.accountId);
      if (!account) throw notFound("account");
      return accountBody(account);
    },
  );
}
