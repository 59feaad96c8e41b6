import { Type } from "@sinclair/typebox";
import { subscriptionOf } from "../../access/keys/subscription-of.js";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { checkedByHandler } from "../../platform/http/schema-kit.js";
import type { ProfileKind } from "../../store/profiles/profile-records.js";
import type { ProfileStore } from "../../store/profiles/profile-store.js";
import type { IngestWriter } from "../ingest-writer.js";
import { metadataLimits, parseBulkBody, parseSingleValue } from "./metadata-input.js";
import { setCustomMetadata } from "./set-custom-metadata.js";

const writableGroup = "custom";

// Any strings: requireWritable and the input parsers check them with this API's own messages.
const groupParams = Type.Object({ group: Type.String() });
const valueParams = Type.Object({ group: Type.String(), id: Type.String(), field: Type.String() });
const createQuery = Type.Object(
  { create: Type.Optional(Type.Boolean({ description: "Create unknown visitors or accounts." })) },
  { additionalProperties: false },
);

// The bodies are checked by metadata-input.ts with its own messages; these schemas document them.
const scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
const value = Type.Union([scalar, Type.Array(scalar), Type.Null()], {
  description: "A string, number or boolean, an array of them, or null to remove the field.",
});
const bulkBody = (idField: string) =>
  checkedByHandler(
    Type.Array(Type.Object({ [idField]: Type.String(), values: Type.Record(Type.String(), value) })),
    `[{"${idField}": "…", "values": {"plan": "pro"}}]: one bad entry refuses the whole request.`,
  );
const valueBody = checkedByHandler(value, 'The field\'s new value, as JSON (`"pro"`, `42`, `true`).');

// SetOutcome (set-custom-metadata.ts), as the document shows it.
const outcome = Type.Object({
  total: Type.Integer(),
  updated: Type.Integer(),
  failed: Type.Integer({
    description: "Always 0: an entry that cannot be applied refuses the request (400).",
  }),
  missing: Type.Array(Type.String(), { description: "Ids not found (and not created without create=true)." }),
});

function requireWritable(group: string): void {
  if (group === writableGroup) return;
  const shown = JSON.stringify(group.length > 64 ? `${group.slice(0, 64)}…` : group);
  throw new CairnError("bad_request", {
    message: `The metadata group ${shown} cannot be written through the API; only "${writableGroup}" can.`,
    hint: `Send your own fields to /api/v1/metadata/{visitor|account}/${writableGroup}/value; the agent sets "agent" and Cairn sets "auto". The one "pendo" field taken is PUT /api/v1/metadata/visitor/pendo/value/{visitorId}/donotprocess.`,
  });
}

/**
 * Pendo's metadata writes, for the `custom` group of visitors and accounts: a bulk set
 * (`POST …/value[?create=true]`) and one value (`PUT …/value/:id/:fieldName`, the body being the value).
 */
export function registerMetadataRoutes(
  app: CairnApp,
  deps: { profiles: ProfileStore; writer: IngestWriter },
): void {
  for (const kind of ["visitor", "account"] as const satisfies readonly ProfileKind[]) {
    app.post(
      `/api/v1/metadata/${kind}/:group/value`,
      {
        bodyLimit: metadataLimits.bulkBodyBytes,
        schema: {
          summary: `Set ${kind} metadata values in bulk`,
          params: groupParams,
          querystring: createQuery,
          body: bulkBody(`${kind}Id`),
          response: { 200: outcome },
        },
      },
      async (request) => {
        requireWritable(request.params.group);
        const entries = parseBulkBody(kind, request.body);
        return setCustomMetadata(deps, {
          subscriptionId: subscriptionOf(request),
          kind,
          entries,
          create: request.query.create === true,
        });
      },
    );

    app.put(
      `/api/v1/metadata/${kind}/:group/value/:id/:field`,
      {
        bodyLimit: metadataLimits.valueBodyBytes,
        schema: {
          summary: `Set one ${kind} metadata value`,
          params: valueParams,
          querystring: createQuery,
          body: valueBody,
          response: { 200: outcome },
        },
      },
      async (request) => {
        requireWritable(request.params.group);
        const entry = parseSingleValue(request.params.field, request.params.id, request.body);
        const outcome = await setCustomMetadata(deps, {
          subscriptionId: subscriptionOf(request),
          kind,
          entries: [entry],
          create: request.query.create === true,
        });
        if (outcome.updated === 0) {
          throw new CairnError("not_found", {
            message: `No ${kind} with this id in this subscription; nothing was set.`,
            hint: `Add ?create=true to create it with this value.`,
          });
        }
        return outcome;
      },
    );
  }
}
