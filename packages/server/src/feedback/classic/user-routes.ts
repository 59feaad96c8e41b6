import { Type } from "@sinclair/typebox";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import {
  findDirectoryUser,
  getDirectoryAccount,
  getDirectoryUser,
  listDirectoryAccounts,
  listDirectoryUsers,
  pingEndUser,
} from "../end-users/end-user-directory.js";
import { notFoundIn } from "../ideas/find-live.js";
import { feedbackCallerOf } from "../v1/feedback-caller.js";
import { cairnIdOf, isNumberRef } from "./classic-ids.js";
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
    const input = {
      id: user.id,
      ...(user.email === undefined ? {} : { email: user.email }),
      ...(user.full_name === undefined ? {} : { name: user.full_name }),
      ...(account === undefined
        ? {}
        : { account: { id: account.id, ...(account.name === undefined ? {} : { name: account.name }) } }),
    };
    const extras = {
      ...(user.tags === undefined ? {} : { userTags: user.tags }),
      ...(account === undefined
        ? {}
        : {
            account: {
              ...(account.monthly_value === undefined ? {} : { monthlyValue: account.monthly_value }),
              ...(account.status === undefined ? {} : { status: account.status }),
              ...(account.tags === undefined ? {} : { tags: account.tags }),
            },
          }),
    };
    return toUser(await pingEndUser(db, feedbackCallerOf(request), input, extras));
  });

  app.get(
    "/users",
    { schema: { summary: "List end users", querystring: listUsersQuery, response: users } },
    async (request) => {
      const query = request.query;
      if (query.role === "vendorUser") return [];
      const caller = feedbackCallerOf(request);
      // A number is an Account's id; anything else Cairn's id for it or the team's own, as before numbers.
      const account = query.account;
      const page = await listDirectoryUsers(db, caller, {
        limit: query.limit,
        start: query.start,
        orderBy: query.order_by,
        orderDir: query.order_dir,
        account:
          account === undefined || !isNumberRef(account)
            ? account
            : await cairnIdOf(db, caller, "account", account),
      });
      return page.results.map(toUser);
    },
  );

  const searchSchema = {
    summary: "Find an end user by your id or their email",
    description: "404 when none has them (vendor users included: Cairn has none); 410 when deleted.",
    querystring: searchUsersQuery,
    response: { 200: classicUser },
  };
  app.get("/users/search", { schema: searchSchema }, async (request) => {
    const query = request.query;
    const named = query.external_id ?? query.email ?? "";
    if (query.role === "vendorUser") throw notFoundIn("feedback_end_users", named);
    const user = await findDirectoryUser(db, feedbackCallerOf(request), {
      externalId: query.external_id,
      email: query.email,
    });
    return toUser(user);
  });

  const userSchema = {
    summary: "Read an end user",
    params: idParams,
    querystring: noQuery,
    response: { 200: classicUser },
  };
  app.get("/users/:id", { schema: userSchema }, async (request) => {
    const caller = feedbackCallerOf(request);
    return toUser(await getDirectoryUser(db, caller, await cairnIdOf(db, caller, "user", request.params.id)));
  });

  const accountsSchema = { summary: "List accounts", querystring: listAccountsQuery, response: accounts };
  app.get("/accounts", { schema: accountsSchema }, async (request) => {
    const query = request.query;
    // Cairn keeps no churn; the least recently seen are the likeliest to have churned.
    const churned = query.order_by === "churned";
    const page = await listDirectoryAccounts(db, feedbackCallerOf(request), {
      limit: query.limit,
      start: query.start,
      orderBy: query.order_by === "churned" ? "last_seen" : query.order_by,
      orderDir: query.order_dir ?? (churned ? "asc" : undefined),
    });
    return page.results.map(toAccount);
  });

  const accountSchema = {
    summary: "Read an account",
    params: idParams,
    querystring: noQuery,
    response: { 200: classicAccount },
  };
  app.get("/accounts/:id", { schema: accountSchema }, async (request) => {
    const caller = feedbackCallerOf(request);
    const id = await cairnIdOf(db, caller, "account", request.params.id);
    return toAccount(await getDirectoryAccount(db, caller, id));
  });
}
