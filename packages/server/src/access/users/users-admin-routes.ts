import { Type } from "@sinclair/typebox";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { anyEnum, noContent } from "../../platform/http/schema-kit.js";
import { userRecord } from "../admin-answers.js";
import type { AdminRouteDeps } from "../admin-route-deps.js";
import { adminIdParams, noAdminQuery } from "../admin-schemas.js";
import { sessionOf } from "../sessions/session-guard.js";
import { requirePermission } from "./permissions.js";
import { roles } from "./roles.js";
import { signInLink } from "./sign-in-tokens.js";
import { addUser, changeUser, listUsers, newSignInTokenFor, removeUser } from "./user-service.js";

const addBody = Type.Object(
  {
    email: Type.String({ maxLength: 320 }),
    name: Type.String({ maxLength: 1000 }),
    role: anyEnum(roles),
    integrationKeyAccess: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const changeBody = Type.Object(
  { role: Type.Optional(anyEnum(roles)), integrationKeyAccess: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);

/** The subscription's admin users: members and up list them; owners add and remove them. */
export function registerUsersAdminRoutes(app: CairnApp, deps: AdminRouteDeps): void {
  const { publicUrl, requireSession } = deps;
  const db = deps.metadata.db;

  const listSchema = {
    summary: "List the subscription's users",
    querystring: noAdminQuery,
    response: { 200: Type.Object({ users: Type.Array(userRecord) }) },
  };
  app.get("/api/admin/users", { preHandler: requireSession, schema: listSchema }, async (request) => {
    const session = sessionOf(request);
    requirePermission(session.user, "users.read");
    return { users: await listUsers(db, session.subscriptionId) };
  });

  app.post(
    "/api/admin/users",
    {
      preHandler: requireSession,
      schema: {
        summary: "Add a user",
        description: "The answer holds the new user's one-time sign-in link, this once.",
        body: addBody,
        response: {
          201: Type.Object({ ...userRecord.properties, signInLink: Type.String({ format: "uri" }) }),
        },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "users.manage");
      const { user, signInToken } = await addUser(db, {
        subscriptionId: session.subscriptionId,
        ...request.body,
        actor: session.user.id,
        ip: request.ip,
      });
      // The link is for the owner to hand over; like a key, it is answered once and stored only as a hash.
      return reply.code(201).send({ ...user, signInLink: signInLink(publicUrl(), signInToken) });
    },
  );

  app.patch(
    "/api/admin/users/:id",
    {
      preHandler: requireSession,
      schema: {
        summary: "Change a user's role or integration key access (owner)",
        params: adminIdParams,
        body: changeBody,
        response: { 200: userRecord },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      requirePermission(session.user, "users.manage");
      return changeUser(db, {
        subscriptionId: session.subscriptionId,
        id: request.params.id,
        ...(request.body.role !== undefined ? { role: request.body.role } : {}),
        ...(request.body.integrationKeyAccess !== undefined
          ? { integrationKeyAccess: request.body.integrationKeyAccess }
          : {}),
        actor: session.user.id,
        ip: request.ip,
      });
    },
  );

  app.post(
    "/api/admin/users/:id/sign-in-link",
    {
      preHandler: requireSession,
      schema: {
        summary: "A new one-time sign-in link for a user (owner)",
        description:
          "For a lost link or a forgotten password: the link signs the user in once and asks for a password.",
        params: adminIdParams,
        response: { 201: Type.Object({ signInLink: Type.String({ format: "uri" }) }) },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "users.manage");
      const { signInToken } = await newSignInTokenFor(db, {
        subscriptionId: session.subscriptionId,
        id: request.params.id,
        actor: session.user.id,
        ip: request.ip,
      });
      return reply.code(201).send({ signInLink: signInLink(publicUrl(), signInToken) });
    },
  );

  app.delete(
    "/api/admin/users/:id",
    {
      preHandler: requireSession,
      schema: { summary: "Remove a user", params: adminIdParams, response: { 204: noContent } },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      requirePermission(session.user, "users.manage");
      await removeUser(db, {
        subscriptionId: session.subscriptionId,
        id: request.params.id,
        actor: session.user.id,
        ip: request.ip,
      });
      return reply.code(204).send();
    },
  );
}
