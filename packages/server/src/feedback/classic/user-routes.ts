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
import { toAccount, toUser } from "./classic-shapes.js";

/**
 * End users and their accounts. Cairn has end users only: its team members are admin users, not Feedback
 * "vendor users", so `role=vendorUser` finds nobody.
 */
export function registerUserRoutes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;

  app.post("/users", { schema: { body: endUserPingBody, querystring: noQuery } }, async (request) => {
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

  app.get("/users", { schema: { querystring: listUsersQuery } }, async (request) => {
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
  });

  app.get("/users/search", { schema: { querystring: searchUsersQuery } }, async (request) => {
    const query = request.query;
    if (query.role === "vendorUser") return [];
    const users = await searchDirectoryUsers(db, feedbackCallerOf(request), {
      externalId: query.external_id,
      email: query.email,
    });
    return users.map(toUser);
  });

  app.get("/users/:id", { schema: { params: idParams, querystring: noQuery } }, async (request) =>
    toUser(await getDirectoryUser(db, feedbackCallerOf(request), request.params.id)),
  );

  app.get("/accounts", { schema: { querystring: listAccountsQuery } }, async (request) => {
    const query = request.query;
    const page = await listDirectoryAccounts(db, feedbackCallerOf(request), {
      limit: query.limit,
      start: query.start,
      orderBy: query.order_by,
      orderDir: query.order_dir,
    });
    return page.results.map(toAccount);
  });

  app.get("/accounts/:id", { schema: { params: idParams, querystring: noQuery } }, async (request) =>
    toAccount(await getDirectoryAccount(db, feedbackCallerOf(request), request.params.id)),
  );
}
