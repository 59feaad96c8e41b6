import { type TSchema, Type } from "@sinclair/typebox";

// Bounds here are generous: the services check the real ones with messages that name them (tagging-limits.ts).

/** An object's id in a path. */
export const objectIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

/**
 * Pendo's list parameters. Clients add others (`length`, `limit`, `offset`): they are accepted and not read.
 */
export const v1ListQuery = Type.Object(
  {
    expand: Type.Optional(
      Type.String({ maxLength: 100, description: '"*": every app (default: the default app)' }),
    ),
    id: Type.Optional(Type.String({ maxLength: 100_000, description: "a comma-separated list of ids" })),
  },
  { additionalProperties: true },
);

/** Any query parameters, none read (clients add `limit` and the like). */
export const ignoredQuery = Type.Object({}, { additionalProperties: true });

/** The admin lists: every app, or one. */
export const adminListQuery = Type.Object(
  { appId: Type.Optional(Type.String({ maxLength: 100 })) },
  { additionalProperties: false },
);

/** No query parameters (the admin API's other routes). */
export const noAdminQuery = Type.Object({}, { additionalProperties: false });

export const appIdField = Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()]));

/**
 * The fields of Pendo's object shape that are read-only: an object fetched, changed and sent back is accepted,
 * and these are ignored. Any other unknown field is refused by name.
 */
export const readOnlyFields: Record<string, TSchema> = Object.fromEntries(
  [
    "createdByUser",
    "createdAt",
    "lastUpdatedByUser",
    "lastUpdatedAt",
    "kind",
    "rootVersionId",
    "stableVersionId",
    "id",
    "appIds",
    "color",
    "group",
    "dirty",
    "isCoreEvent",
    "isSuggested",
    "suggestedTagRules",
    "eventPropertyConfigurations",
  ].map((name) => [name, Type.Optional(Type.Unknown())]),
);

export const stringList = (maxItems: number, maxLength: number) =>
  Type.Array(Type.String({ maxLength }), { maxItems });
