import { Type } from "@sinclair/typebox";
import { subscriptionOf } from "../../access/keys/subscription-of.js";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { ProfileStore } from "../../store/profiles/profile-store.js";
import { accountBody, type ProfileBody, visitorBody } from "./profile-shape.js";

const noQuery = Type.Object({}, { additionalProperties: false });

// The answer's schema, for the OpenAPI document; ProfileBody (profile-shape.ts) is what handlers return.
const fields = Type.Record(Type.String(), Type.Unknown());
export const profileAnswer = Type.Object({
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

/** A visitor and their metadata, in Pendo's shape; a 404 when the subscription has no such visitor. */
export async function readVisitor(
  profiles: ProfileStore,
  subscriptionId: string,
  visitorId: string,
): Promise<ProfileBody> {
  const visitor = await profiles.visitor(subscriptionId, visitorId);
  if (!visitor) throw notFound("visitor");
  return visitorBody(visitor);
}

/** An account and its metadata, in Pendo's shape; a 404 when the subscription has no such account. */
export async function readAccount(
  profiles: ProfileStore,
  subscriptionId: string,
  accountId: string,
): Promise<ProfileBody> {
  const account = await profiles.account(subscriptionId, accountId);
  if (!account) throw notFound("account");
  return accountBody(account);
}

/**
 * `GET /api/v1/visitor/:visitorId` and `GET /api/v1/account/:accountId`: one record and its metadata (the
 * admin API answers the same through `readVisitor` and `readAccount`, profile-admin-routes.ts).
 */
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
    async (request) => readVisitor(profiles, subscriptionOf(request), request.params.visitorId),
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
    async (request) => readAccount(profiles, subscriptionOf(request), request.params.accountId),
  );
}
