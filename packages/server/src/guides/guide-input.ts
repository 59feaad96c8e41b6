import { type Static, Type } from "@sinclair/typebox";
import {
  type ContentDocument,
  checkContentDocument,
  checkPlainText,
  checkShape,
  contentDocumentSchema,
  fieldError,
  hasForbiddenCharacter,
  literalEnum,
  pollIdSchema,
  pollIdsOf,
} from "./content-document.js";
import { guideLimits as limits } from "./guide-limits.js";
import {
  type GuideLaunchMethod,
  type GuidePollType,
  type GuideStepType,
  guideLaunchMethods,
  guidePollTypes,
  guideStates,
  guideStepTypes,
} from "./guide-words.js";

const strict = { additionalProperties: false } as const;
const nullableString = (maxLength: number, description: string) =>
  Type.Union([Type.String({ maxLength }), Type.Null()], { description });

export const pollInputSchema = Type.Object(
  {
    id: pollIdSchema,
    type: literalEnum(guidePollTypes, {
      description: "yesNo, nps (0–10), freeText, or multipleChoice (with choices)",
    }),
    question: Type.String({ minLength: 1, maxLength: limits.questionLength }),
    choices: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: limits.choiceLength }), {
        maxItems: limits.choicesPerPoll,
        description: "multipleChoice only: 2 or more",
      }),
    ),
  },
  strict,
);

export const stepInputSchema = Type.Object(
  {
    id: Type.Optional(
      Type.String({ maxLength: 100, description: "an existing step's id, to keep it (and its seen state)" }),
    ),
    type: literalEnum(guideStepTypes),
    anchorSelector: Type.Optional(
      nullableString(limits.selectorLength, "the CSS selector of the element a tooltip points at"),
    ),
    closeButton: Type.Optional(Type.Boolean({ description: "show a close (×) button; default true" })),
    content: contentDocumentSchema,
  },
  strict,
);

const guideFields = {
  name: Type.String({ minLength: 1, maxLength: limits.nameLength }),
  appId: Type.Optional(nullableString(200, "the app; the subscription's default app when left out")),
  launchMethod: Type.Optional(literalEnum(guideLaunchMethods, { description: "default auto" })),
  priority: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: limits.maxPriority,
      description: "higher is shown first; default 0",
    }),
  ),
  startsAt: Type.Optional(nullableString(40, "ISO 8601 time before which it is not shown")),
  endsAt: Type.Optional(nullableString(40, "ISO 8601 time from which it is not shown")),
  segmentId: Type.Optional(nullableString(200, "only visitors of this segment; null: everyone")),
  pageId: Type.Optional(nullableString(200, "only on this tagged page")),
  urlRule: Type.Optional(
    nullableString(2000, 'only on URLs matching this page rule ("//*/dashboard"); not with pageId'),
  ),
  activationSelector: Type.Optional(
    nullableString(
      limits.selectorLength,
      "the element a dom guide is shown on a click of, or a badge sits beside",
    ),
  ),
  stagedVisitorIds: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: limits.visitorIdLength }), {
      maxItems: limits.stagedVisitors,
      description: "who sees the guide while it is staged",
    }),
  ),
  polls: Type.Optional(Type.Array(pollInputSchema, { maxItems: limits.pollsPerGuide })),
  steps: Type.Optional(Type.Array(stepInputSchema, { maxItems: limits.stepsPerGuide })),
};

export const guideCreateSchema = Type.Object(guideFields, {
  ...strict,
  description: "a new guide, created as a draft",
});
export const guideUpdateSchema = Type.Object(
  { ...guideFields, name: Type.Optional(guideFields.name) },
  { ...strict, description: "the fields to change; steps and polls, when given, replace the guide's" },
);
export const guideStateBodySchema = Type.Object({ state: literalEnum(guideStates) }, strict);
export const guideSegmentBodySchema = Type.Object(
  { segmentId: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]) },
  strict,
);

export type GuideUpdateInput = Static<typeof guideUpdateSchema>;

export interface CheckedPoll {
  readonly id: string;
  readonly type: GuidePollType;
  readonly question: string;
  readonly choices: string[];
}

export interface CheckedStep {
  readonly id: string | undefined;
  readonly type: GuideStepType;
  readonly anchorSelector: string | null;
  readonly closeButton: boolean;
  readonly content: ContentDocument;
  readonly pollIds: string[];
}

/** A create or update, checked field by field; references to other objects are checked by the service. */
export interface CheckedGuideInput {
  readonly name?: string;
  readonly appId?: string | null;
  readonly launchMethod?: GuideLaunchMethod;
  readonly priority?: number;
  readonly startsAt?: string | null;
  readonly endsAt?: string | null;
  readonly segmentId?: string | null;
  readonly pageId?: string | null;
  readonly urlRule?: string | null;
  readonly activationSelector?: string | null;
  readonly stagedVisitorIds?: string[];
  readonly polls?: CheckedPoll[];
  readonly steps?: CheckedStep[];
}

export function checkSelector(field: string, value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const selector = value.trim();
  if (selector === "") return null;
  // A selector goes to querySelector, never into markup; still, no control characters and no line breaks.
  if (hasForbiddenCharacter(selector, false))
    throw fieldError(field, "has a control character or a line break.");
  return selector;
}

function checkTime(field: string, value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === "") return null;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms))
    throw fieldError(
      field,
      `${JSON.stringify(value.slice(0, 40))} is not an ISO 8601 time (2026-01-31T09:00:00Z).`,
    );
  return new Date(ms).toISOString();
}

function checkPoll(field: string, poll: Static<typeof pollInputSchema>): CheckedPoll {
  const choices = (poll.choices ?? []).map((c, i) => checkPlainText(`${field}.choices[${i}]`, c));
  if (poll.type === "multipleChoice" && choices.length < 2)
    throw fieldError(`${field}.choices`, "a multipleChoice poll needs at least 2 choices.");
  if (poll.type !== "multipleChoice" && choices.length > 0)
    throw fieldError(`${field}.choices`, `only a multipleChoice poll has choices; this one is ${poll.type}.`);
  if (new Set(choices).size !== choices.length) throw fieldError(`${field}.choices`, "has a choice twice.");
  return {
    id: poll.id,
    type: poll.type,
    question: checkPlainText(`${field}.question`, poll.question),
    choices,
  };
}

/**
 * Checks a create (`mode: "create"`) or an update body: its shape (unknown fields refused at any depth), every
 * text as plain text, every URL as http(s), the polls the steps name. A 400 names the first wrong field.
 */
export function checkGuideInput(body: unknown, mode: "create" | "update"): CheckedGuideInput {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw fieldError("body", "is not a JSON object describing a guide.");
  const { steps, ...rest } = body as { steps?: unknown };
  // Steps are checked one by one below, so a message names the block inside a step that is wrong.
  const input = checkShape("", mode === "create" ? guideCreateSchema : guideUpdateSchema, {
    ...rest,
    ...(steps === undefined ? {} : { steps: [] }),
  }) as GuideUpdateInput;
  if (steps !== undefined && !Array.isArray(steps)) throw fieldError("steps", "is not a list of steps.");
  if (Array.isArray(steps) && steps.length > limits.stepsPerGuide)
    throw fieldError("steps", `has ${steps.length} steps; at most ${limits.stepsPerGuide}.`);

  const polls = input.polls?.map((p, i) => checkPoll(`polls[${i}]`, p));
  const pollIds = new Set<string>();
  for (const [i, poll] of (polls ?? []).entries()) {
    if (pollIds.has(poll.id)) throw fieldError(`polls[${i}].id`, `${JSON.stringify(poll.id)} is used twice.`);
    pollIds.add(poll.id);
  }

  const checkedSteps = (steps as unknown[] | undefined)?.map((value, i): CheckedStep => {
    const field = `steps[${i}]`;
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw fieldError(field, "is not an object.");
    const { content, ...stepRest } = value as { content?: unknown };
    const step = checkShape(field, stepInputSchema, { ...stepRest, content: { blocks: [] } });
    if (content === undefined) throw fieldError(`${field}.content`, "is missing.");
    const document = checkContentDocument(`${field}.content`, content);
    const anchorSelector = checkSelector(`${field}.anchorSelector`, step.anchorSelector);
    if (step.type === "tooltip" && anchorSelector === null)
      throw fieldError(
        `${field}.anchorSelector`,
        "a tooltip needs the CSS selector of the element it points at.",
      );
    // Whether the polls exist is checked against the guide's polls as they will be (guide-service.ts).
    const stepPolls = pollIdsOf(document);
    const submits = document.blocks.some((b) => b.type === "button" && b.action.type === "submitPoll");
    if (submits && stepPolls.length === 0)
      throw fieldError(`${field}.content`, "has a submitPoll button but no poll block.");
    return {
      id: step.id,
      type: step.type,
      anchorSelector,
      closeButton: step.closeButton ?? true,
      content: document,
      pollIds: stepPolls,
    };
  });

  const stagedVisitorIds = input.stagedVisitorIds?.map((v) => v.trim()).filter((v) => v !== "");
  const name = input.name === undefined ? undefined : checkPlainText("name", input.name.trim());
  if (name === "") throw fieldError("name", "is empty; a guide needs a name.");
  if (
    typeof input.pageId === "string" &&
    input.pageId !== "" &&
    typeof input.urlRule === "string" &&
    input.urlRule !== ""
  )
    throw fieldError("urlRule", "a guide has a pageId or a urlRule, not both.");

  const set = <K extends keyof CheckedGuideInput>(key: K, value: CheckedGuideInput[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  const present = (key: keyof GuideUpdateInput) => Object.hasOwn(input, key);
  return {
    ...set("name", name),
    ...set("appId", input.appId),
    ...set("launchMethod", input.launchMethod),
    ...set("priority", input.priority),
    ...(present("startsAt") ? { startsAt: checkTime("startsAt", input.startsAt) } : {}),
    ...(present("endsAt") ? { endsAt: checkTime("endsAt", input.endsAt) } : {}),
    ...(present("segmentId") ? { segmentId: input.segmentId || null } : {}),
    ...(present("pageId") ? { pageId: input.pageId || null } : {}),
    ...(present("urlRule") ? { urlRule: input.urlRule?.trim() || null } : {}),
    ...(present("activationSelector")
      ? { activationSelector: checkSelector("activationSelector", input.activationSelector) }
      : {}),
    ...set("stagedVisitorIds", stagedVisitorIds === undefined ? undefined : [...new Set(stagedVisitorIds)]),
    ...set("polls", polls),
    ...set("steps", checkedSteps),
  };
}
