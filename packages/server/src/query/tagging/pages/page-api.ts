import { Type } from "@sinclair/typebox";
import { pageSchema } from "../shared/object-schemas.js";
import type { TaggedObjectApi } from "../shared/tagged-object-api.js";
import { appIdField, readOnlyFields } from "../shared/tagging-schemas.js";
import { maxPageRuleLength } from "./page-rule.js";
import { createPage, deletePage, getPage, listPages, updatePage } from "./page-service.js";

/** A rule as text, or as Pendo's `{rule, designerHint}` (a `parsedRule` sent back is ignored). */
const ruleInput = Type.Union([
  Type.String({ maxLength: maxPageRuleLength * 2 }),
  Type.Object(
    {
      rule: Type.String({ maxLength: maxPageRuleLength * 2 }),
      designerHint: Type.Optional(Type.Union([Type.String({ maxLength: 4000 }), Type.Null()])),
      parsedRule: Type.Optional(Type.Unknown()),
    },
    { additionalProperties: false },
  ),
]);

const pageFields = {
  name: Type.String({ maxLength: 1000 }),
  appId: appIdField,
  rules: Type.Array(ruleInput, { maxItems: 200 }),
  excludeRules: Type.Optional(Type.Array(ruleInput, { maxItems: 200 })),
};

const createBody = Type.Object({ ...readOnlyFields, ...pageFields }, { additionalProperties: false });
const updateBody = Type.Object(
  {
    ...readOnlyFields,
    name: Type.Optional(pageFields.name),
    appId: pageFields.appId,
    rules: Type.Optional(pageFields.rules),
    excludeRules: pageFields.excludeRules,
  },
  { additionalProperties: false },
);

export const pageApi: TaggedObjectApi<typeof createBody, typeof updateBody> = {
  v1Path: "page",
  adminPath: "pages",
  listKey: "pages",
  objectSchema: pageSchema,
  noun: "page",
  createBody,
  updateBody,
  list: listPages,
  get: getPage,
  create: createPage,
  update: updatePage,
  remove: deletePage,
};
