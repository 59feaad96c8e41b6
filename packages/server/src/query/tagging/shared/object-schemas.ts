import { type TObject, type TProperties, Type } from "@sinclair/typebox";
import { nullable, stringEnum } from "../../../platform/http/schema-kit.js";

/** The answers' schemas, for the OpenAPI document and the response checks (the shapes are in *-shape.ts). */
const pendoUser = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    first: Type.String(),
    last: Type.String(),
    role: nullable(Type.Number()),
    userType: stringEnum(["user", "cli", "integration_key", "system"]),
  },
  { additionalProperties: false },
);

function versioned(kind: string, properties: TProperties): TObject {
  return Type.Object<TProperties>(
    {
      createdByUser: pendoUser,
      createdAt: Type.Number({ description: "epoch ms" }),
      lastUpdatedByUser: pendoUser,
      lastUpdatedAt: Type.Number({ description: "epoch ms" }),
      kind: Type.Literal(kind),
      rootVersionId: Type.String(),
      stableVersionId: Type.String(),
      id: Type.String(),
      name: Type.String(),
      appId: Type.String(),
      appIds: Type.Array(Type.String()),
      color: Type.String(),
      group: Type.Null(),
      dirty: Type.Boolean(),
      ...properties,
    },
    { additionalProperties: false },
  );
}

const pageRule = Type.Object(
  {
    rule: Type.String(),
    designerHint: nullable(Type.String()),
    parsedRule: Type.String({ description: "the rule as one JavaScript regular expression" }),
  },
  { additionalProperties: false },
);

export const pageSchema = versioned("Page", {
  rules: Type.Array(pageRule),
  excludeRules: Type.Array(pageRule),
  isCoreEvent: Type.Boolean(),
  isSuggested: Type.Boolean(),
  suggestedTagRules: Type.Array(Type.Never()),
});

export const featureSchema = versioned("Feature", {
  pageId: nullable(Type.String()),
  appWide: Type.Boolean(),
  isCoreEvent: Type.Boolean(),
  elementPathRules: Type.Array(Type.String()),
  eventPropertyConfigurations: Type.Array(Type.Never()),
  isSuggested: Type.Boolean(),
});

export const trackTypeSchema = versioned("TrackType", {
  trackTypeName: Type.String(),
  trackTypeRules: Type.Array(Type.String()),
  eventPropertyNameList: Type.Array(Type.String()),
});
