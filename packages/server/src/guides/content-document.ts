import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { Value, ValueErrorType } from "@sinclair/typebox/value";
import { CairnError } from "../platform/errors/cairn-error.js";
import { guideLimits as limits } from "./guide-limits.js";

// A step's content: a flat list of blocks, each plain data. Nothing here is ever markup: text is shown as text
// (domJson `content`), URLs are absolute http(s) and go only into `src` or an openLink action's parameter.
// Blocks do not nest, so there is no depth to bound; every object refuses fields it does not know.

const strict = { additionalProperties: false } as const;

/** A union of literals, which TypeBox's Value can check (schema-kit's stringEnum is an Unsafe for Ajv only). */
export function literalEnum<const T extends string>(
  values: readonly T[],
  options: { description?: string } = {},
) {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  );
}

export const pollIdSchema = Type.String({
  minLength: 1,
  maxLength: limits.pollIdLength,
  pattern: "^[A-Za-z0-9_-]+$",
  description: "letters, digits, _ and -",
});

const httpUrl = Type.String({
  minLength: 1,
  maxLength: limits.urlLength,
  description: "an absolute http: or https: URL",
});

const actionSchemas = {
  advanceGuide: Type.Object({ type: Type.Literal("advanceGuide") }, strict),
  previousStep: Type.Object({ type: Type.Literal("previousStep") }, strict),
  dismissGuide: Type.Object({ type: Type.Literal("dismissGuide") }, strict),
  snoozeGuide: Type.Object(
    {
      type: Type.Literal("snoozeGuide"),
      duration: Type.Object(
        {
          value: Type.Integer({ minimum: 1, maximum: limits.maxSnoozeDays * 24 }),
          unit: literalEnum(["Hour", "Day", "Week"]),
        },
        strict,
      ),
    },
    strict,
  ),
  submitPoll: Type.Object({ type: Type.Literal("submitPoll") }, strict),
  openLink: Type.Object(
    {
      type: Type.Literal("openLink"),
      url: httpUrl,
      newTab: Type.Optional(Type.Boolean({ description: "open in a new tab (default true)" })),
    },
    strict,
  ),
};

export const buttonActionSchema = Type.Union(Object.values(actionSchemas));
export type ButtonAction = Static<typeof buttonActionSchema>;

const blockSchemas = {
  heading: Type.Object(
    {
      type: Type.Literal("heading"),
      text: Type.String({ minLength: 1, maxLength: limits.headingLength }),
      level: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)])),
    },
    strict,
  ),
  text: Type.Object(
    { type: Type.Literal("text"), text: Type.String({ minLength: 1, maxLength: limits.textLength }) },
    strict,
  ),
  image: Type.Object(
    {
      type: Type.Literal("image"),
      url: httpUrl,
      alt: Type.String({
        maxLength: limits.altLength,
        description: "what the image shows, for screen readers",
      }),
    },
    strict,
  ),
  button: Type.Object(
    {
      type: Type.Literal("button"),
      label: Type.String({ minLength: 1, maxLength: limits.labelLength }),
      action: buttonActionSchema,
    },
    strict,
  ),
  poll: Type.Object({ type: Type.Literal("poll"), pollId: pollIdSchema }, strict),
};

export const contentBlockSchema = Type.Union(Object.values(blockSchemas));
export type ContentBlock = Static<typeof contentBlockSchema>;

export const contentDocumentSchema = Type.Object(
  { blocks: Type.Array(contentBlockSchema, { maxItems: limits.blocksPerStep }) },
  { ...strict, description: "a step's content: blocks of plain text, images, buttons and polls, in order" },
);
export type ContentDocument = Static<typeof contentDocumentSchema>;

/** A 400 whose message starts with the field it is about. */
export function fieldError(field: string, problem: string): CairnError {
  return new CairnError("bad_request", { message: `${field}: ${problem}` });
}

const shown = (value: unknown) => {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
};

/** Checks `value` against `schema` (additional fields refused), naming the first wrong field under `field`. */
export function checkShape<T extends TSchema>(field: string, schema: T, value: unknown): Static<T> {
  const first = Value.Errors(schema, value).First();
  if (first === undefined) return value as Static<T>;
  const path = first.path
    .split("/")
    .filter((part) => part !== "")
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join("");
  const at = field === "" ? path.replace(/^\./, "") : `${field}${path}`;
  if (first.type === ValueErrorType.ObjectAdditionalProperties) return fail(at, "is not a known field.");
  if (first.type === ValueErrorType.ObjectRequiredProperty) return fail(at, "is missing.");
  return fail(
    at,
    `${first.message.toLowerCase()}${first.value === undefined ? "" : ` (got ${shown(first.value)})`}`,
  );
}

function fail(field: string, problem: string): never {
  throw fieldError(field, problem);
}

/**
 * Whether text has a control character (tab and line breaks allowed with `lineBreaks`) or a bidirectional
 * override or isolate, which can make text read otherwise than it is.
 */
export function hasForbiddenCharacter(text: string, lineBreaks: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (lineBreaks && (code === 0x09 || code === 0x0a || code === 0x0d)) continue;
    if (code < 0x20 || code === 0x7f) return true;
    if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return true;
  }
  return false;
}

// Something that reads as a tag, a comment or a doctype. Text is never interpreted as markup, but text that
// looks like markup is most likely pasted HTML (or an attack on whatever shows it): refused, not stored.
const markupLike = /<\s*[a-zA-Z!/?]/;

/** Plain text for a guide: no control characters, nothing that looks like markup. */
export function checkPlainText(field: string, text: string): string {
  if (hasForbiddenCharacter(text, true))
    fail(field, "has a control or text-direction character; guide text is plain text.");
  if (markupLike.test(text))
    fail(
      field,
      `looks like markup (${shown(text.match(markupLike)?.[0])}); guide text is plain text, never HTML.`,
    );
  return text;
}

/** An absolute http(s) URL that `new URL` parses, with no credentials in it; answered as `new URL` writes it. */
export function checkHttpUrl(field: string, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail(field, `${shown(url)} is not an absolute URL; write it as https://…`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    fail(field, `${shown(url)} is a ${parsed.protocol} URL; only http: and https: URLs are allowed.`);
  if (parsed.username !== "" || parsed.password !== "") fail(field, "has a user name or password in it.");
  if (hasForbiddenCharacter(url, false) || /\s/.test(url)) fail(field, "has a space or control character.");
  return parsed.href;
}

function checkAction(field: string, value: unknown): ButtonAction {
  const type = (value as { type?: unknown } | null)?.type;
  const schema = typeof type === "string" ? actionSchemas[type as keyof typeof actionSchemas] : undefined;
  if (schema === undefined || !Object.hasOwn(actionSchemas, type as string))
    fail(`${field}.type`, `is ${shown(type)}; it is one of ${Object.keys(actionSchemas).join(", ")}.`);
  const action = checkShape(field, schema, value) as ButtonAction;
  if (action.type === "openLink") return { ...action, url: checkHttpUrl(`${field}.url`, action.url) };
  return action;
}

function checkBlock(field: string, value: unknown): ContentBlock {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(field, "is not an object.");
  const type = (value as { type?: unknown }).type;
  const schema = typeof type === "string" ? blockSchemas[type as keyof typeof blockSchemas] : undefined;
  if (schema === undefined || !Object.hasOwn(blockSchemas, type as string))
    fail(`${field}.type`, `is ${shown(type)}; it is one of ${Object.keys(blockSchemas).join(", ")}.`);
  if (type === "button") {
    const { action, ...rest } = value as { action?: unknown };
    const button = checkShape(field, blockSchemas.button, { ...rest, action: { type: "advanceGuide" } });
    return {
      ...button,
      label: checkPlainText(`${field}.label`, button.label),
      action: checkAction(`${field}.action`, action),
    };
  }
  const block = checkShape(field, schema, value) as ContentBlock;
  switch (block.type) {
    case "heading":
    case "text":
      return { ...block, text: checkPlainText(`${field}.text`, block.text) };
    case "image":
      return {
        ...block,
        url: checkHttpUrl(`${field}.url`, block.url),
        alt: checkPlainText(`${field}.alt`, block.alt),
      };
    default:
      return block;
  }
}

/** A step's content document, checked field by field; a 400 that names the first wrong one (`steps[0].content…`). */
export function checkContentDocument(field: string, value: unknown): ContentDocument {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    fail(field, 'is not a content document: {"blocks": [...]}.');
  const { blocks, ...rest } = value as { blocks?: unknown };
  const unknownField = Object.keys(rest)[0];
  if (unknownField !== undefined) fail(`${field}.${unknownField}`, "is not a known field.");
  if (!Array.isArray(blocks)) fail(`${field}.blocks`, "is not a list of blocks.");
  if (blocks.length > limits.blocksPerStep)
    fail(`${field}.blocks`, `has ${blocks.length} blocks; at most ${limits.blocksPerStep}.`);
  return { blocks: blocks.map((block, i) => checkBlock(`${field}.blocks[${i}]`, block)) };
}

/** The poll ids a document shows, in order, once each. */
export function pollIdsOf(document: ContentDocument): string[] {
  return [...new Set(document.blocks.flatMap((b) => (b.type === "poll" ? [b.pollId] : [])))];
}
