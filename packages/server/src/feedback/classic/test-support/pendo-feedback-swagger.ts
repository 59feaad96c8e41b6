// Pendo's own description of its classic Feedback API, written down as test data: the Swagger 2.0 document
// "Pendo Feedback API" 1.0.0 (origin http://apidoc.receptive.io/receptive.swagger.json), as kept in the public
// APIs-guru openapi-directory at APIs/pendo.io/1.0.0/swagger.yaml. Only its definitions' field names and types,
// and which definition each path answers with, are copied here, by hand; nothing is fetched at test time.

/** A field's type as the Swagger gives it (`format`s left out: `dateTime` and `float` are not checked). */
export type SwaggerType =
  | { readonly type: "string" | "integer" | "number" | "boolean"; readonly enum?: readonly string[] }
  | { readonly type: "array"; readonly items: SwaggerType }
  | { readonly ref: DefinitionName };

export type DefinitionName = "Account" | "Comment" | "Feature" | "Tags" | "User" | "UserAccount" | "Vote";

const string = { type: "string" } as const;
const integer = { type: "integer" } as const;
const number = { type: "number" } as const;
const boolean = { type: "boolean" } as const;
const strings = { type: "array", items: string } as const;

/** Every property of each object definition, with its type, as the Swagger's `definitions` list them. */
export const swaggerDefinitions: Readonly<
  Record<Exclude<DefinitionName, "Tags">, Readonly<Record<string, SwaggerType>>>
> = {
  Account: {
    created_at: string,
    external_id: string,
    id: string,
    is_paying: boolean,
    monthly_value: number,
    name: string,
    status: string,
  },
  Comment: {
    created_at: string,
    feature_id: integer,
    is_private: boolean,
    text: string,
    updated_at: string,
    user_id: integer,
  },
  Feature: {
    app_url: string,
    created_at: string,
    created_by_user_id: integer,
    declined_at: string,
    description: string,
    developing_at: string,
    effort: integer,
    form_entry: string,
    id: number,
    is_private: boolean,
    merged_to_feature_id: integer,
    planned_at: string,
    products: strings,
    released_at: string,
    resolution: string,
    resolved_by_user_id: integer,
    status: { type: "string", enum: ["new", "waiting", "planned", "developing", "released", "declined"] },
    status_changed_at: string,
    tags: { ref: "Tags" },
    title: string,
    updated_at: string,
    updated_by_user_id: integer,
    uploads: strings,
    vendor_id: integer,
    view_count: integer,
    waiting_at: string,
  },
  User: {
    account: { ref: "UserAccount" },
    created_at: string,
    email: string,
    external_id: string,
    id: string,
    name: string,
    roles: { type: "string", enum: ["endUser"] },
  },
  UserAccount: {
    id: string,
    monthly_value: number,
    name: string,
    status: { type: "string", enum: ["paying", "prospect", "not_paying"] },
  },
  Vote: {
    created_at: string,
    feature_id: integer,
    quantity: integer,
    updated_at: string,
    user_id: integer,
  },
};

/**
 * `Tags` is `{"type": "array", "items": {"type": "string"}}`, but its description (and the …/tags paths'
 * example, `[{'impacts' => ['sales']}, {'resources' => ['dev', 'test', 'support']}]`) puts maps of a category
 * to a value in it too: "Simple and categorised tags can be mixed in the same array". The check takes both.
 */
export const tagsDescription = "strings, and maps of one category to a string or a list of strings";

/** An answer: one object of a definition, or an array of them. */
export type SwaggerAnswer = { readonly one: DefinitionName } | { readonly many: DefinitionName } | "none";

/**
 * What each path answers with, as its `200` response's schema says. `none`: the Swagger gives that `200` no
 * schema (only a description); `described` names what the description says (or, for the writes, the shape Cairn
 * answers with, the same as the path's read), checked as well.
 */
export const swaggerPaths: Readonly<Record<string, { answer: SwaggerAnswer; described?: SwaggerAnswer }>> = {
  "GET /accounts": { answer: { many: "Account" } },
  "GET /accounts/{id}": { answer: { one: "Account" } },
  "PUT /accounts/{id}": { answer: "none", described: { one: "Account" } },
  "DELETE /accounts/{id}": { answer: { one: "Account" } },
  "GET /accounts/{id}/tags": { answer: "none", described: { one: "Tags" } },
  "POST /accounts/{id}/tags": { answer: "none", described: { one: "Tags" } },
  "DELETE /accounts/{id}/tags": { answer: "none", described: { one: "Tags" } },
  "GET /comments": { answer: { many: "Comment" } },
  "GET /features": { answer: { many: "Feature" } },
  "GET /features/{id}": { answer: { one: "Feature" } },
  "GET /features/{id}/tags": { answer: "none", described: { one: "Tags" } },
  "POST /features/{id}/tags": { answer: "none", described: { one: "Tags" } },
  "DELETE /features/{id}/tags": { answer: "none", described: { one: "Tags" } },
  "GET /health-check/ping": { answer: "none" },
  "POST /hooks": { answer: "none" },
  "POST /hooks/unsubscribe": { answer: "none" },
  "GET /search": { answer: { many: "Feature" } },
  "GET /users": { answer: { many: "User" } },
  "POST /users": { answer: "none", described: { one: "User" } },
  "GET /users/search": { answer: { one: "User" } },
  "GET /users/{id}": { answer: { one: "User" } },
  "PUT /users/{id}": { answer: { one: "User" } },
  "DELETE /users/{id}": { answer: { one: "User" } },
  "GET /users/{id}/tags": { answer: "none", described: { one: "Tags" } },
  "POST /users/{id}/tags": { answer: "none", described: { one: "Tags" } },
  "DELETE /users/{id}/tags": { answer: "none", described: { one: "Tags" } },
  "GET /votes": { answer: { many: "Vote" } },
  "POST /votes": { answer: "none", described: { many: "Vote" } },
  // Inviting users and Pendo's team members ("vendor users"): Cairn does not serve these.
  "POST /users/invite_end_user": { answer: "none" },
  "POST /users/invite_vendor_user": { answer: "none" },
  "POST /vendor_users": { answer: "none" },
};

/** Where a value is out of its definition, as `path: problem`; none when it fits. */
export function swaggerProblems(value: unknown, type: SwaggerType, at: string): string[] {
  // Swagger 2.0 has no `nullable`; the Feedback API answers null for a value it does not have, and clients
  // generated from this document take a missing value as null.
  if (value === null) return [];
  if ("ref" in type) return definitionProblems(value, type.ref, at);
  switch (type.type) {
    case "array":
      if (!Array.isArray(value)) return [`${at}: not an array`];
      return value.flatMap((item, index) => swaggerProblems(item, type.items, `${at}[${index}]`));
    case "integer":
      return Number.isInteger(value) ? [] : [`${at}: not an integer (${JSON.stringify(value)})`];
    case "number":
      return typeof value === "number" ? [] : [`${at}: not a number (${JSON.stringify(value)})`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${at}: not a boolean`];
    case "string":
      if (typeof value !== "string") return [`${at}: not a string (${JSON.stringify(value)})`];
      return type.enum && !type.enum.includes(value) ? [`${at}: ${value} is not one of ${type.enum}`] : [];
  }
}

function tagProblems(value: unknown, at: string): string[] {
  if (!Array.isArray(value)) return [`${at}: Tags is an array`];
  return value.flatMap((tag, index) => {
    if (typeof tag === "string") return [];
    const entries = typeof tag === "object" && tag !== null ? Object.entries(tag) : [];
    const [entry] = entries;
    const fits =
      entries.length === 1 &&
      entry !== undefined &&
      (typeof entry[1] === "string" ||
        (Array.isArray(entry[1]) && entry[1].every((item) => typeof item === "string")));
    return fits ? [] : [`${at}[${index}]: not one of ${tagsDescription}`];
  });
}

/** Every property the definition lists must be there (null when unknown), of its type; others may be too. */
export function definitionProblems(value: unknown, name: DefinitionName, at: string = name): string[] {
  if (name === "Tags") return tagProblems(value, at);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${at}: not an object`];
  const record = value as Record<string, unknown>;
  return Object.entries(swaggerDefinitions[name]).flatMap(([field, type]) =>
    field in record ? swaggerProblems(record[field], type, `${at}.${field}`) : [`${at}.${field}: missing`],
  );
}

/** Where an answer is out of what the path is described to answer. */
export function answerProblems(body: unknown, answer: SwaggerAnswer, at: string): string[] {
  if (answer === "none") return [];
  if ("one" in answer) return definitionProblems(body, answer.one, at);
  if (!Array.isArray(body)) return [`${at}: not an array of ${answer.many}`];
  return body.flatMap((item, index) => definitionProblems(item, answer.many, `${at}[${index}]`));
}
