import { Type } from "@sinclair/typebox";
import { featureSchema } from "../shared/object-schemas.js";
import type { TaggedObjectApi } from "../shared/tagged-object-api.js";
import { appIdField, readOnlyFields, stringList } from "../shared/tagging-schemas.js";
import { createFeature, deleteFeature, getFeature, listFeatures, updateFeature } from "./feature-service.js";
import { maxSelectorLength } from "./selector.js";

const featureFields = {
  name: Type.String({ maxLength: 1000 }),
  appId: appIdField,
  elementPathRules: stringList(100, maxSelectorLength * 2),
  pageId: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  appWide: Type.Optional(Type.Boolean()),
};

const createBody = Type.Object({ ...readOnlyFields, ...featureFields }, { additionalProperties: false });
const updateBody = Type.Object(
  {
    ...readOnlyFields,
    name: Type.Optional(featureFields.name),
    appId: featureFields.appId,
    elementPathRules: Type.Optional(featureFields.elementPathRules),
    pageId: featureFields.pageId,
    appWide: featureFields.appWide,
  },
  { additionalProperties: false },
);

export const featureApi: TaggedObjectApi<typeof createBody, typeof updateBody> = {
  v1Path: "feature",
  adminPath: "features",
  listKey: "features",
  objectSchema: featureSchema,
  noun: "feature",
  createBody,
  updateBody,
  list: listFeatures,
  get: getFeature,
  create: createFeature,
  update: updateFeature,
  remove: deleteFeature,
};
