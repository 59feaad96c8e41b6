import { Type } from "@sinclair/typebox";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { ignoredQuery } from "../../platform/http/common-schemas.js";
import { strictValidatorCompiler } from "../../platform/http/lazy-validators.js";
import type { ExcludeRuleKind } from "../../store/metadata/metadata-schema.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { subscriptionOf } from "../keys/subscription-of.js";
import { type ExcludeRule, listExcludeRules } from "./exclude-service.js";

/** Pendo's names for the kinds of entry: a host rule is a server name there. */
const pendoTypes: Readonly<Record<ExcludeRuleKind, "ip" | "visitor" | "account" | "server">> = {
  ip: "ip",
  visitor: "visitor",
  account: "account",
  host: "server",
};

const kindOfType: Readonly<Record<string, ExcludeRuleKind>> = {
  ip: "ip",
  visitor: "visitor",
  visitorid: "visitor",
  account: "account",
  accountid: "account",
  server: "host",
  servername: "host",
  host: "host",
};

const entrySchema = Type.Object({
  id: Type.String(),
  type: Type.Union([
    Type.Literal("ip"),
    Type.Literal("visitor"),
    Type.Literal("account"),
    Type.Literal("server"),
  ]),
  value: Type.String({ description: "an address or CIDR range, an id, or a host name; * is a wildcard" }),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Number({ description: "epoch ms" }),
  createdBy: Type.String({ description: "a user id, or cli" }),
});

const listAnswer = Type.Object({ results: Type.Array(entrySchema) });

function entry(rule: ExcludeRule) {
  return {
    id: rule.id,
    type: pendoTypes[rule.kind],
    value: rule.pattern,
    note: rule.note,
    createdAt: Date.parse(rule.createdAt),
    createdBy: rule.createdBy,
  };
}

/**
 * `GET /api/v1/blacklist` and `GET /api/v1/blacklist/type/:type`: the subscription's Exclude List, read-only
 * (it is changed through the admin API and `cairn exclude`).
 */
export function registerExcludeV1Routes(app: CairnApp, deps: { metadata: MetadataStore }): void {
  const db = deps.metadata.db;
  const validatorCompiler = strictValidatorCompiler;

  app.get(
    "/api/v1/blacklist",
    {
      validatorCompiler,
      schema: {
        summary: "The Exclude List: addresses, visitors, accounts and servers whose events are flagged",
        querystring: ignoredQuery,
        response: { 200: listAnswer },
      },
    },
    async (request) => ({ results: (await listExcludeRules(db, subscriptionOf(request))).map(entry) }),
  );

  app.get(
    "/api/v1/blacklist/type/:type",
    {
      validatorCompiler,
      schema: {
        summary: "The Exclude List's entries of one type: ip, visitor, account or server",
        params: Type.Object({ type: Type.String({ description: "ip, visitor, account or server (host)" }) }),
        querystring: ignoredQuery,
        response: { 200: listAnswer },
      },
    },
    async (request) => {
      const kind = kindOfType[request.params.type.toLowerCase()];
      if (!kind)
        throw new CairnError("not_found", {
          message: `No Exclude List type ${JSON.stringify(request.params.type.slice(0, 100))}: the types are ip, visitor, account and server.`,
          hint: "GET /api/v1/blacklist/type/ip (or visitor, account, server).",
        });
      const rules = await listExcludeRules(db, subscriptionOf(request));
      return { results: rules.filter((rule) => rule.kind === kind).map(entry) };
    },
  );
}
