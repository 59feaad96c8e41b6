import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { deleteAccount, deleteEndUser, updateAccount, updateEndUser } from "../end-users/end-user-changes.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import { updateAccountBody, updateUserBody } from "./classic-change-schemas.js";
import { cairnIdOf } from "./classic-ids.js";
import { idParams, noQuery } from "./classic-schemas.js";
import { classicAccount, classicUser, toAccount, toUser } from "./classic-shapes.js";

/**
 * PUT and DELETE on end users and accounts, by number (or Cairn's id). A DELETE answers what it deleted, as Pendo's does;
 * from then on the id answers 410 (end-user-changes.ts says what a delete keeps).
 */
export function registerUserChangeRoutes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;
  const byId = { params: idParams, querystring: noQuery };

  const user = { 200: classicUser };
  const account = { 200: classicAccount };
  const updateUser = { ...byId, summary: "Change an end user", body: updateUserBody, response: user };
  app.put("/users/:id", { schema: updateUser }, async (request) => {
    const { email, external_id: externalId, name } = request.body;
    const caller = feedbackCallerOf(request);
    const user = await updateEndUser(db, caller, await cairnIdOf(db, caller, "user", request.params.id), {
      ...(email === undefined ? {} : { email }),
      ...(externalId === undefined ? {} : { externalId }),
      ...(name === undefined ? {} : { name }),
    });
    return toUser(user);
  });

  const deleteUser = { ...byId, summary: "Delete an end user; answers what was deleted", response: user };
  app.delete("/users/:id", { schema: deleteUser }, async (request) => {
    const caller = feedbackCallerOf(request);
    return toUser(await deleteEndUser(db, caller, await cairnIdOf(db, caller, "user", request.params.id)));
  });

  const updateAccount_ = {
    ...byId,
    summary: "Change an account",
    body: updateAccountBody,
    response: account,
  };
  app.put("/accounts/:id", { schema: updateAccount_ }, async (request) => {
    const { monthly_value: monthlyValue, name, status } = request.body;
    const caller = feedbackCallerOf(request);
    const id = await cairnIdOf(db, caller, "account", request.params.id);
    const account = await updateAccount(db, caller, id, {
      ...(monthlyValue === undefined ? {} : { monthlyValue }),
      ...(name === undefined ? {} : { name }),
      ...(status === undefined ? {} : { status }),
    });
    return toAccount(account);
  });

  const deleteAccount_ = {
    ...byId,
    summary: "Delete an account; answers what was deleted",
    response: account,
  };
  app.delete("/accounts/:id", { schema: deleteAccount_ }, async (request) => {
    const caller = feedbackCallerOf(request);
    return toAccount(
      await deleteAccount(db, caller, await cairnIdOf(db, caller, "account", request.params.id)),
    );
  });
}
