import { Type } from "@sinclair/typebox";
import { stringEnum } from "../../platform/http/schema-kit.js";
import { segmentLimits } from "./segment-limits.js";
import { segmentRuleSchema } from "./segment-rule.js";

// Bounds here are generous; the service checks the real ones with messages that name them (segment-limits.ts).

export const visitorIdList = (description: string) =>
  Type.Array(Type.String({ maxLength: segmentLimits.visitorIdLength * 2 }), {
    maxItems: segmentLimits.visitorsPerRequest,
    description,
  });

const name = Type.String({ maxLength: segmentLimits.nameLength * 2 });

export const segmentIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

export const segmentVisitorParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200 }),
  visitorId: Type.String({ minLength: 1 }),
});

export const uploadBody = Type.Object(
  { name, visitors: visitorIdList("the visitor ids, at least one") },
  { additionalProperties: false },
);

/** The admin API's create: a list of visitor ids, or a rule (exactly one of them). */
export const adminCreateBody = Type.Object(
  {
    name,
    visitors: Type.Optional(visitorIdList("the visitor ids, at least one")),
    rule: Type.Optional(segmentRuleSchema),
  },
  { additionalProperties: false },
);

export const ruleFieldsAnswer = Type.Object({
  fields: Type.Array(
    Type.Object({
      field: Type.String({ description: "the path a rule names, e.g. metadata.custom.plan" }),
      type: Type.String({ description: 'the metadata schema\'s type ("" for mixed or lists)' }),
    }),
  ),
});

export const replaceBody = Type.Object(
  {
    name: Type.Optional(name),
    visitors: Type.Optional(visitorIdList("every visitor id of the segment from now on, at least one")),
  },
  { additionalProperties: false },
);

export const patchBody = Type.Object(
  {
    patch: Type.Array(
      Type.Object(
        {
          op: stringEnum(["add", "remove"]),
          path: Type.Optional(Type.String({ maxLength: 100, description: '"/visitors"' })),
          value: visitorIdList("visitor ids to add or remove"),
        },
        { additionalProperties: false },
      ),
      { maxItems: segmentLimits.patchOperations * 10 },
    ),
  },
  { additionalProperties: false },
);

export const multistatusAnswer = Type.Object({
  multistatus: Type.Array(
    Type.Object({
      status: Type.Number(),
      message: Type.String(),
      operation: stringEnum(["add", "remove"]),
    }),
  ),
});

export const statusAnswer = Type.Object({
  id: Type.String(),
  state: stringEnum(["complete", "processing"]),
  entityTagId: Type.String({ description: "changes at every write to the segment" }),
  visitorCount: Type.Number(),
  lastUpdatedAt: Type.Number({ description: "epoch ms" }),
});

export const listQuery = Type.Object(
  {
    createdByApi: Type.Optional(stringEnum(["true", "false"])),
  },
  { additionalProperties: true, description: "other parameters (limit, offset…) are accepted and not read" },
);

/** A write to one visitor of a segment carries no body. */
export const noBody = Type.Unknown({ description: "none: the visitor is named in the path" });
