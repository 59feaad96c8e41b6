import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { deleteAccount, deleteEndUser, updateAccount, updateEndUser } from "../end-users/end-user-changes.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import { updateAccountBody, updateUserBody } from "./classic-change-schemas.js";
import { idParams, noQuery } from "./classic-schemas.js";
import { toAccount, toUser } from "./classic-shapes.js";

/**
 * PUT and DELETE on end users and accounts, by Cairn's id. A DELETE answers what it deleted, as Pendo's does;
 * from then on the id answers 410 (end-user-changes.ts says what a delete keeps).
 */
export function registerUserChangeRoutes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;
  const byId = { params: idParams, querystring: noQuery };

  app.put("/users/:id", { schema: { ...byId, body: updateUserBody } }, async (request) => {
    const { email, external_id: externalId, name } = request.body;
    const user = await updateEndUser(db, feedbackCallerOf(request), request.params.id, {
      ...(email === undefined ? {} : { email }),
      ...(externalId === undefined ? {} : { externalId }),
      ...(name === undefined ? {} : { name }),
    });
    return toUser(user);
  });

  app.delete("/users/:id", { schema: byId }, async (request) =>
    toUser(await deleteEndUser(db, feedbackCallerOf(request), request.params.id)),
  );

  app.put("/accounts/:id", { schema: { ...byId, body: updateAccountBody } }, async (request) => {
    const { monthly_value: monthlyValue, name, status } = request.body;
    const account = await updateAccount(db, feedbackCallerOf(request), request.params.id, {
      ...(monthlyValue === undefined ? {} : { monthlyValue }),
      ...(name === undefined ? {} : { name }),
      ...(status === undefined ? {} : { status }),
    });
    return toAccount(account);
  });

  app.delete("/accounts/:id", { schema: byId }, async (request) =>
    toAccount(await deleteAccount(db, feedbackCallerOf(request), request.params.id)),
  );
}
