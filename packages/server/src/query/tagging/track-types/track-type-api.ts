import { Type } from "@sinclair/typebox";
import { trackTypeSchema } from "../shared/object-schemas.js";
import type { TaggedObjectApi } from "../shared/tagged-object-api.js";
import { appIdField, readOnlyFields, stringList } from "../shared/tagging-schemas.js";
import { discoverTrackTypes } from "./discover-track-types.js";
import {
  createTrackType,
  deleteTrackType,
  getTrackType,
  listTrackTypes,
  updateTrackType,
} from "./track-type-service.js";

const fields = {
  ...readOnlyFields,
  name: Type.Optional(Type.String({ maxLength: 4000 })),
  trackTypeName: Type.Optional(Type.String({ maxLength: 4000 })),
  appId: appIdField,
  trackTypeRules: Type.Optional(stringList(1000, 4000)),
  eventPropertyNameList: Type.Optional(stringList(1000, 4000)),
};

const body = Type.Object(fields, { additionalProperties: false });

export const trackTypeApi: TaggedObjectApi<typeof body, typeof body> = {
  v1Path: "tracktype",
  adminPath: "track-types",
  listKey: "trackTypes",
  objectSchema: trackTypeSchema,
  noun: "track type",
  createBody: body,
  updateBody: body,
  beforeList: (deps, subscriptionId) => discoverTrackTypes(deps.metadata, deps.events, subscriptionId),
  list: listTrackTypes,
  get: getTrackType,
  create: createTrackType,
  update: updateTrackType,
  remove: deleteTrackType,
};
