import { Type } from "@sinclair/typebox";
import { subscriptionOf } from "../../access/keys/subscription-of.js";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { CairnApp } from "../../platform/http/cairn-app.js";
import { ignoredQuery } from "../../platform/http/common-schemas.js";
import { strictValidatorCompiler } from "../../platform/http/lazy-validators.js";
import type { EventQuery } from "../../store/events/event-query.js";
import type { ProfileMirror } from "../../store/events/profile-mirror.js";
import type { ProfileKind } from "../../store/profiles/profile-records.js";
import type { ProfileStore } from "../../store/profiles/profile-store.js";
import { metadataSchema, metadataSchemaAnswer } from "./metadata-schema.js";

/** Pendo's names for the two kinds; `VisitorMetadata` and `AccountMetadata` are what clients check a key with. */
const kinds: Readonly<Record<string, ProfileKind>> = {
  visitor: "visitor",
  visitormetadata: "visitor",
  account: "account",
  accountmetadata: "account",
};

/** `GET /api/v1/metadata/schema/{visitor|account}`: the metadata fields by group, with their types. */
export function registerMetadataSchemaRoute(
  app: CairnApp,
  deps: { events: EventQuery; profiles: ProfileStore; profileMirror: ProfileMirror },
): void {
  app.get(
    "/api/v1/metadata/schema/:kind",
    {
      validatorCompiler: strictValidatorCompiler,
      schema: {
        summary: "The metadata fields of visitors or accounts, by group, with their types",
        params: Type.Object({
          kind: Type.String({ description: "visitor or account (also VisitorMetadata, AccountMetadata)" }),
        }),
        querystring: ignoredQuery,
        response: { 200: metadataSchemaAnswer },
      },
    },
    async (request) => {
      const kind = kinds[request.params.kind.toLowerCase()];
      if (!kind)
        throw new CairnError("not_found", {
          message: `No metadata schema ${JSON.stringify(request.params.kind.slice(0, 100))}: there is one for visitor and one for account.`,
          hint: "GET /api/v1/metadata/schema/visitor or /api/v1/metadata/schema/account.",
        });
      return metadataSchema(deps, subscriptionOf(request), kind);
    },
  );
}
