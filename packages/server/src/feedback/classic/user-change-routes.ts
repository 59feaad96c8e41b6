import type { FastifyInstance } from "fastify";
import type { AccountStatus } from "../../store/metadata/metadata-schema.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { deleteAccount, deleteEndUser, updateAccount, updateEndUser } from "../end-users/end-user-changes.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import { updateAccountBody, updateUserBody } from "./classic-change-schemas.js";
import { idParams, noQuery } from "./classic-schemas.js";
import { toAccount, toUser } from "./classic-shapes.js";

interface UserChanges {
  email?: string;
  external_id?: string;
  name?: string;
  permission_group_id?: number | null;
}

interface AccountChanges {
  monthly_value?: number;
  name?: string;
  status?: AccountStatus;
}

/**
 * PUT and DELETE on end users and accounts, by Cairn's id. A DELETE answers what it deleted, as Pendo's does;
 * from then on the id answers 410 (end-user-changes.ts says what a delete keeps).
 */
export function registerUserChangeRoutes(app: FastifyInstance, metadata: MetadataStore): void {
  const db = metadata.db;
  const byId = { params: idParams, querystring: noQuery };

  app.put<{ Params: { id: string }; Body: UserChanges }>(
    "/users/:id",
    { schema: { ...byId, body: updateUserBody } },
    async (request) => {
      const { email, external_id: externalId, name } = request.body;
      const user = await updateEndUser(db, feedbackCallerOf(request), request.params.id, {
        ...(email === undefined ? {} : { email }),
        ...(externalId === undefined ? {} : { externalId }),
        ...(name === undefined ? {} : { name }),
      });
      return toUser(user);
    },
  );

  app.delete<{ Params: { id: string } }>("/users/:id", { schema: byId }, async (request) =>
    toUser(await deleteEndUser(db, feedbackCallerOf(request), request.params.id)),
  );

  app.put<{ Params: { id: string }; Body: AccountChanges }>(
    "/accounts/:id",
    { schema: { ...byId, body: updateAccountBody } },
    async (request) => {
      const { monthly_value: monthlyValue, name, status } = request.body;
      const account = await updateAccount(db, feedbackCallerOf(request), request.params.id, {
        ...(monthlyValue === undefined ? {} : { monthlyValue }),
        ...(name === undefined ? {} : { name }),
        ...(status === undefined ? {} : { status }),
      });
      return toAccount(account);
    },
  );

  app.delete<{ Params: { id: string } }>("/accounts/:id", { schema: byId }, async (request) =>
    toAccount(await deleteAccount(db, feedbackCallerOf(request), request.params.id)),
  );
}
