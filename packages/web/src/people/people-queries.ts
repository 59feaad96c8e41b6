import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { aggregate } from "../analytics/aggregate.ts";

export interface VisitorRow {
  readonly visitorId: string;
  readonly accountId: string | null;
  readonly firstVisit: number | null;
  readonly lastVisit: number | null;
  readonly browser: string | null;
}

export interface AccountRow {
  readonly accountId: string;
  readonly firstVisit: number | null;
  readonly lastVisit: number | null;
}

export const pageSize = 50;

/** A condition on an id that contains the search text, in the aggregation's expression language. */
function idContains(field: string, search: string): { filter: string }[] {
  const text = search.trim().toLowerCase();
  return text === "" ? [] : [{ filter: `contains(toLowerCase(${field}), ${JSON.stringify(text)})` }];
}

export const peoplePipelines = {
  visitors: (search: string, accountId?: string) => [
    { source: { visitors: null } },
    ...idContains("visitorId", search),
    ...(accountId === undefined
      ? []
      : [{ filter: `metadata.auto.accountid == ${JSON.stringify(accountId)}` }]),
    { sort: ["-metadata.auto.lastvisit"] },
    { limit: pageSize },
    {
      select: {
        visitorId: "visitorId",
        accountId: "metadata.auto.accountid",
        firstVisit: "metadata.auto.firstvisit",
        lastVisit: "metadata.auto.lastvisit",
        browser: "metadata.auto.lastbrowsername",
      },
    },
  ],
  accounts: (search: string) => [
    { source: { accounts: null } },
    ...idContains("accountId", search),
    { sort: ["-metadata.auto.lastvisit"] },
    { limit: pageSize },
    {
      select: {
        accountId: "accountId",
        firstVisit: "metadata.auto.firstvisit",
        lastVisit: "metadata.auto.lastvisit",
      },
    },
  ],
};

export function useVisitors(search: string, accountId?: string) {
  return useQuery({
    queryKey: ["aggregation", "visitors", search, accountId],
    queryFn: () => aggregate<VisitorRow>(peoplePipelines.visitors(search, accountId)),
    placeholderData: keepPreviousData,
  });
}

export function useAccounts(search: string) {
  return useQuery({
    queryKey: ["aggregation", "accounts", search],
    queryFn: () => aggregate<AccountRow>(peoplePipelines.accounts(search)),
    placeholderData: keepPreviousData,
  });
}
