import type { StoredAccount, StoredVisitor } from "../../store/profiles/profile-records.js";

/** A visitor or account as Pendo's v1 API shows one: its id and its metadata by group. */
export interface ProfileBody {
  readonly id: string;
  readonly metadata: {
    readonly agent: Record<string, unknown>;
    readonly auto: Record<string, string | number>;
    readonly custom: Record<string, unknown>;
  };
}

/** Pendo's lower-case `auto` field names; a field Cairn has no value for is left out. */
function auto(fields: Record<string, string | number | null>): Record<string, string | number> {
  const present: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(fields)) if (value !== null) present[name] = value;
  return present;
}

export function visitorBody(visitor: StoredVisitor): ProfileBody {
  return {
    id: visitor.visitorId,
    metadata: {
      agent: visitor.agentMetadata,
      auto: auto({
        id: visitor.visitorId,
        accountid: visitor.lastAccountId,
        firstvisit: visitor.firstVisit,
        lastvisit: visitor.lastVisit,
        lastbrowsername: visitor.lastBrowserName,
        lastbrowserversion: visitor.lastBrowserVersion,
        lastoperatingsystem: visitor.lastOperatingSystem,
        lastservername: visitor.lastServerName,
        lastuseragent: visitor.lastUserAgent,
      }),
      custom: visitor.customMetadata,
    },
  };
}

export function accountBody(account: StoredAccount): ProfileBody {
  return {
    id: account.accountId,
    metadata: {
      agent: account.agentMetadata,
      auto: auto({ id: account.accountId, firstvisit: account.firstVisit, lastvisit: account.lastVisit }),
      custom: account.customMetadata,
    },
  };
}
