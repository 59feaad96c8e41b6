import { type Static, Type } from "@sinclair/typebox";
import type { Selectable } from "kysely";
import { stringEnum } from "../platform/http/schema-kit.js";
import type { PendoUser } from "../query/tagging/shared/pendo-user.js";
import { pendoUserSchema } from "../query/tagging/shared/pendo-user-schema.js";
import type { GuidePollsTable, GuideStepsTable, GuidesTable } from "../store/metadata/metadata-schema.js";
import { type ContentDocument, contentDocumentSchema } from "./content-document.js";
import { domJsonOf } from "./dom-json.js";
import {
  type GuidePollType,
  guideLaunchMethods,
  guidePollTypes,
  guideStates,
  guideStepTypes,
} from "./guide-words.js";

const nullableNumber = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });
const nullableString = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

/** Pendo's poll types (`polls[].attributes.type`) for Cairn's. */
export const pendoPollTypes: Readonly<Record<GuidePollType, string>> = {
  yesNo: "YesNo",
  nps: "NPSRating",
  freeText: "FreeForm",
  multipleChoice: "PickList",
};

const domJsonSchema = Type.Record(Type.String(), Type.Unknown(), {
  description: "the step as Pendo's building-block tree (docs/guides.md)",
});

export const guideStepSchema = Type.Object({
  id: Type.String(),
  guideId: Type.String(),
  type: stringEnum(guideStepTypes),
  rank: Type.Number(),
  elementPathRule: Type.String({ description: "the anchor's CSS selector; empty for no anchor" }),
  triggerElementPathRule: Type.String(),
  pageId: Type.Optional(Type.String()),
  regexUrlRule: Type.Optional(Type.String({ description: "a JavaScript regex the page URL must match" })),
  advanceMethod: Type.Literal("button"),
  attributes: Type.Object({ blockOutUI: Type.Object({ enabled: Type.Boolean() }) }),
  pollIds: Type.Array(Type.String()),
  lastUpdatedAt: Type.Number({ description: "epoch ms" }),
  resetAt: Type.Number(),
  closeButton: Type.Boolean({ description: "Cairn: the step shows a close (×) button" }),
  document: contentDocumentSchema,
  domJson: domJsonSchema,
});

export const guidePollSchema = Type.Object({
  id: Type.String(),
  numericResponses: Type.Boolean(),
  attributes: Type.Object({ type: Type.String({ description: "YesNo, NPSRating, FreeForm or PickList" }) }),
  type: stringEnum(guidePollTypes, { description: "Cairn's poll type" }),
  question: Type.String(),
  choices: Type.Array(Type.String()),
});

/** A guide in Pendo's object shape (pendo-api.md §6.1), as far as Cairn has its fields, plus Cairn's own. */
export const guideSchema = Type.Object({
  createdByUser: pendoUserSchema,
  createdAt: Type.Number({ description: "epoch ms" }),
  lastUpdatedByUser: pendoUserSchema,
  lastUpdatedAt: Type.Number({ description: "epoch ms of the last change to what the agent shows" }),
  kind: Type.Literal("Guide"),
  rootVersionId: Type.String(),
  stableVersionId: Type.String(),
  id: Type.String(),
  name: Type.String(),
  appId: Type.String(),
  appIds: Type.Array(Type.String()),
  state: stringEnum(guideStates),
  launchMethod: stringEnum(guideLaunchMethods),
  isMultiStep: Type.Boolean(),
  publishedAt: nullableNumber("epoch ms it last became public"),
  publishedEver: Type.Boolean(),
  showsAfter: nullableNumber("epoch ms before which it is not shown"),
  expiresAfter: nullableNumber("epoch ms from which it is not shown"),
  audience: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
    description: "who is eligible, as an aggregation pipeline over visitors",
  }),
  segmentId: nullableString("Cairn: the segment it is shown to; null: everyone"),
  pageId: nullableString("Cairn: the tagged page it is shown on"),
  urlRule: nullableString("Cairn: the page rule it is shown on"),
  stagedVisitorIds: Type.Array(Type.String(), { description: "Cairn: who sees it while it is staged" }),
  attributes: Type.Object({
    type: Type.Literal("building-block"),
    device: Type.Object({ desktop: Type.Boolean(), mobile: Type.Boolean() }),
    priority: Type.Number(),
    overrideAutoThrottling: Type.Boolean(),
    activation: Type.Optional(Type.Object({ selector: Type.String(), event: Type.Array(Type.String()) })),
  }),
  polls: Type.Array(guidePollSchema),
  steps: Type.Array(guideStepSchema),
});

export type PendoGuide = Static<typeof guideSchema>;

export interface GuideRows {
  readonly guide: Selectable<GuidesTable>;
  readonly steps: readonly Selectable<GuideStepsTable>[];
  readonly polls: readonly Selectable<GuidePollsTable>[];
}

const epoch = (iso: string | null) => (iso === null ? null : Date.parse(iso));

/** A guide's rows as Pendo's object; `regexUrlRule` is the page's (or rule's) regex, found by the service. */
export function guideShape(
  rows: GuideRows,
  userOf: (actorId: string) => PendoUser,
  regexUrlRule: string | null,
): PendoGuide {
  const { guide } = rows;
  const polls = rows.polls.map((p) => ({
    id: p.id,
    numericResponses: p.type === "nps",
    attributes: { type: pendoPollTypes[p.type] },
    type: p.type,
    question: p.question,
    choices: JSON.parse(p.choices) as string[],
  }));
  const activation =
    guide.activation_selector !== null && (guide.launch_method === "dom" || guide.launch_method === "badge")
      ? { activation: { selector: guide.activation_selector, event: ["click"] } }
      : {};
  return {
    createdByUser: userOf(guide.created_by),
    createdAt: Date.parse(guide.created_at),
    lastUpdatedByUser: userOf(guide.updated_by),
    lastUpdatedAt: guide.last_updated_at,
    kind: "Guide",
    rootVersionId: guide.id,
    stableVersionId: guide.id,
    id: guide.id,
    name: guide.name,
    appId: guide.app_id,
    appIds: [guide.app_id],
    state: guide.state,
    launchMethod: guide.launch_method,
    isMultiStep: rows.steps.length > 1,
    publishedAt: epoch(guide.published_at),
    publishedEver: guide.published_at !== null,
    showsAfter: epoch(guide.starts_at),
    expiresAfter: epoch(guide.ends_at),
    audience: [
      { source: { visitors: null } },
      { select: { visitorId: "visitorId" } },
      ...(guide.segment_id === null ? [] : [{ segment: { id: guide.segment_id } }]),
    ],
    segmentId: guide.segment_id,
    pageId: guide.page_id,
    urlRule: guide.url_rule,
    stagedVisitorIds: JSON.parse(guide.staged_visitor_ids) as string[],
    attributes: {
      type: "building-block",
      device: { desktop: true, mobile: false },
      priority: guide.priority,
      overrideAutoThrottling: false,
      ...activation,
    },
    polls,
    steps: rows.steps.map((s) => {
      const document = JSON.parse(s.content) as ContentDocument;
      const closeButton = s.close_button === 1;
      return {
        id: s.id,
        guideId: guide.id,
        type: s.type,
        rank: s.rank,
        elementPathRule: s.anchor_selector ?? "",
        triggerElementPathRule: "",
        ...(guide.page_id === null ? {} : { pageId: guide.page_id }),
        ...(regexUrlRule === null ? {} : { regexUrlRule }),
        advanceMethod: "button" as const,
        attributes: { blockOutUI: { enabled: false } },
        pollIds: JSON.parse(s.poll_ids) as string[],
        lastUpdatedAt: guide.last_updated_at,
        resetAt: 0,
        closeButton,
        document,
        domJson: domJsonOf(
          { polls },
          { id: s.id, type: s.type, closeButton, content: document },
        ) as unknown as Record<string, unknown>,
      };
    }),
  };
}
