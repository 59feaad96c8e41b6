import { Type } from "@sinclair/typebox";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import {
  getDirectoryAccount,
  getDirectoryUser,
  listDirectoryAccounts,
  listDirectoryUsers,
  pingEndUser,
  searchDirectoryUsers,
} from "../end-users/end-user-directory.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import {
  endUserPingBody,
  idParams,
  listAccountsQuery,
  listUsersQuery,
  noQuery,
  searchUsersQuery,
} from "./classic-schemas.js";
import { classicAccount, classicUser, toAccount, toUser } from "./classic-shapes.js";

/**
 * End users and their accounts. Cairn has end users only: its team members are admin users, not Feedback
 * "vendor users", so `role=vendorUser` finds nobody.
 */
export function registerUserRoutes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;

  const users = { 200: Type.Array(classicUser) };
  const accounts = { 200: Type.Array(classicAccount) };
  const pingSchema = {
    summary: "Create or update an end user and their account",
    body: endUserPingBody,
    querystring: noQuery,
    response: { 200: classicUser },
  };
  app.post("/users", { schema: pingSchema }, async (request) => {
    const { user, account } = request.body;
    const pinged = await pingEndUser(db, feedbackCallerOf(request), {
      id: user.id,
      ...(user.email === undefined ? {} : { email: user.email }),
      ...(user.full_name === undefined ? {} : { name: user.full_name }),
      ...(account === undefined
        ? {}
        : { account: { id: account.id, ...(account.name === undefined ? {} : { name: account.name }) } }),
    });
    return toUser(pinged);
  });

  app.get(
    "/users",
    { schema: { summary: "List end users", querystring: listUsersQuery, response: users } },
    async (request) => {
      const query = request.query;
      if (query.role === "vendorUser") return [];
      const page = await listDirectoryUsers(db, feedbackCallerOf(request), {
        limit: query.limit,
        start: query.start,
        orderBy: query.order_by,
        orderDir: query.order_dir,
        account: query.account,
      });
      return page.results.map(toUser);
    },
  );

  const searchSchema = {
    summary: "Find end users by id or email",
    querystring: searchUsersQuery,
    response: users,
  };
  app.get("/users/search", { schema: searchSchema }, async (request) => {
    const query = request.query;
    if (query.role === "vendorUser") return [];
    const users = await searchDirectoryUsers(db, feedbackCallerOf(request), {
      externalId: query.external_id,
      email: query.email,
    });
    return users.map(toUser);
  });

  const userSchema = {
    summary: "Read an end user",
    params: idParams,
    querystring: noQuery,
    response: { 200: classicUser },
  };
  app.get("/users/:id", { schema: userSchema }, async (request) =>
    toUser(await getDirectoryUser(db, feedbackCallerOf(request), request.params.id)),
  );

  const accountsSchema = { summary: "List accounts", querystring: listAccountsQuery, response: accounts };
  app.get("/accounts", { schema: accountsSchema }, async (request) => {
    const query = request.query;
    const page = await listDirectoryAccounts(db, feedbackCallerOf(request), {
      limit: query.limit,
      start: query.start,
      orderBy: query.order_by,
      orderDir: query.order_dir,
    });
    return page.results.map(toAccount);
  });

  const accountSchema = {
    summary: "Read an account",
    params: idParams,
    querystring: noQuery,
    response: { 200: classicAccount },
  };
  app.get("/accounts/:id", { schema: accountSchema }, async (request) =>
    toAccount(await getDirectoryAccount(db, feedbackCallerOf(request), request.params.id)),
  );
}
