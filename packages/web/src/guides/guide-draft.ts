import type { Guide, GuideBody } from "./guide-queries.ts";

// The editor's working copy of a guide: strings where the person types, one list of steps whose poll blocks
// carry their poll (question, type, choices) inline. `bodyOf` turns it into the API's body, whose indexes match
// the draft's, so a 400 naming `steps[1].content.blocks[2].url` points at the field that was typed.

type StepBody = NonNullable<GuideBody["steps"]>[number];
type PollBody = NonNullable<GuideBody["polls"]>[number];
export type StepType = StepBody["type"];
export type PollType = PollBody["type"];
export type LaunchMethod = NonNullable<GuideBody["launchMethod"]>;
export type ButtonAction = Extract<StepBody["content"]["blocks"][number], { type: "button" }>["action"];
export type ActionType = ButtonAction["type"];

export type DraftBlock =
  | { key: string; type: "heading"; text: string; level: 1 | 2 | 3 }
  | { key: string; type: "text"; text: string }
  | { key: string; type: "image"; url: string; alt: string }
  | { key: string; type: "button"; label: string; action: ButtonAction }
  | { key: string; type: "poll"; pollId: string; pollType: PollType; question: string; choices: string[] };

export type BlockType = DraftBlock["type"];

export interface DraftStep {
  readonly key: string;
  readonly id?: string;
  type: StepType;
  anchorSelector: string;
  closeButton: boolean;
  blocks: DraftBlock[];
}

export type Targeting = "anywhere" | "page" | "url";

export interface GuideDraft {
  name: string;
  launchMethod: LaunchMethod;
  activationSelector: string;
  segmentId: string;
  targeting: Targeting;
  pageId: string;
  urlRule: string;
  priority: string;
  /** `datetime-local` values, in the viewer's time zone; empty for none. */
  startsAt: string;
  endsAt: string;
  /** One visitor id a line. */
  stagedVisitorIds: string;
  steps: DraftStep[];
}

let keys = 0;
/** A key for React's lists; never sent. */
export const newKey = () => `k${++keys}`;

export function newBlock(type: BlockType, steps: readonly DraftStep[]): DraftBlock {
  const key = newKey();
  switch (type) {
    case "heading":
      return { key, type, text: "", level: 2 };
    case "text":
      return { key, type, text: "" };
    case "image":
      return { key, type, url: "", alt: "" };
    case "button":
      return { key, type, label: "Next", action: { type: "advanceGuide" } };
    case "poll":
      return { key, type, pollId: freePollId(steps), pollType: "yesNo", question: "", choices: [] };
  }
}

export function newStep(type: StepType = "lightbox"): DraftStep {
  return {
    key: newKey(),
    type,
    anchorSelector: "",
    closeButton: true,
    blocks: [{ key: newKey(), type: "heading", text: "", level: 2 }],
  };
}

function freePollId(steps: readonly DraftStep[]): string {
  const used = new Set(steps.flatMap((s) => s.blocks.flatMap((b) => (b.type === "poll" ? [b.pollId] : []))));
  let n = 1;
  while (used.has(`poll-${n}`)) n++;
  return `poll-${n}`;
}

export function newAction(type: ActionType): ButtonAction {
  switch (type) {
    case "snoozeGuide":
      return { type, duration: { value: 1, unit: "Day" } };
    case "openLink":
      return { type, url: "", newTab: true };
    default:
      return { type };
  }
}

export function emptyDraft(): GuideDraft {
  return {
    name: "",
    launchMethod: "auto",
    activationSelector: "",
    segmentId: "",
    targeting: "anywhere",
    pageId: "",
    urlRule: "",
    priority: "0",
    startsAt: "",
    endsAt: "",
    stagedVisitorIds: "",
    steps: [newStep()],
  };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Epoch ms as a `datetime-local` value in the viewer's time zone. */
export function localInput(epochMs: number | null): string {
  if (epochMs === null) return "";
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function isoOf(local: string): string | null {
  if (local.trim() === "") return null;
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? local : at.toISOString();
}

export function draftOf(guide: Guide): GuideDraft {
  const polls = new Map(guide.polls.map((p) => [p.id, p]));
  return {
    name: guide.name,
    launchMethod: guide.launchMethod,
    activationSelector: guide.attributes.activation?.selector ?? "",
    segmentId: guide.segmentId ?? "",
    targeting: guide.pageId !== null ? "page" : guide.urlRule !== null ? "url" : "anywhere",
    pageId: guide.pageId ?? "",
    urlRule: guide.urlRule ?? "",
    priority: String(guide.attributes.priority),
    startsAt: localInput(guide.showsAfter),
    endsAt: localInput(guide.expiresAfter),
    stagedVisitorIds: guide.stagedVisitorIds.join("\n"),
    steps: guide.steps.map((step) => ({
      key: newKey(),
      id: step.id,
      type: step.type,
      anchorSelector: step.elementPathRule,
      closeButton: step.closeButton,
      blocks: step.document.blocks.map((block): DraftBlock => {
        const key = newKey();
        switch (block.type) {
          case "heading":
            return { key, type: "heading", text: block.text, level: block.level ?? 2 };
          case "poll": {
            const poll = polls.get(block.pollId);
            return {
              key,
              type: "poll",
              pollId: block.pollId,
              pollType: poll?.type ?? "yesNo",
              question: poll?.question ?? "",
              choices: poll?.choices ?? [],
            };
          }
          default:
            return { key, ...block } as DraftBlock;
        }
      }),
    })),
  };
}

const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");

/**
 * The API body of a draft, and where each poll was written: `pollAt[i]` is the block path of `polls[i]`, so an
 * error about `polls[i].question` shows beside that block's question.
 */
export function bodyOf(draft: GuideDraft): { body: GuideBody; pollAt: string[] } {
  const polls: PollBody[] = [];
  const pollAt: string[] = [];
  const steps: StepBody[] = draft.steps.map((step, s) => ({
    ...(step.id ? { id: step.id } : {}),
    type: step.type,
    anchorSelector:
      step.type === "tooltip" && step.anchorSelector.trim() !== "" ? step.anchorSelector.trim() : null,
    closeButton: step.closeButton,
    content: {
      blocks: step.blocks.map((block, b) => {
        const { key: _key, ...rest } = block;
        if (rest.type !== "poll") return rest;
        if (!polls.some((p) => p.id === rest.pollId)) {
          polls.push({
            id: rest.pollId,
            type: rest.pollType,
            question: rest.question,
            ...(rest.pollType === "multipleChoice" ? { choices: rest.choices } : {}),
          });
          pollAt.push(`steps[${s}].content.blocks[${b}]`);
        }
        return { type: "poll" as const, pollId: rest.pollId };
      }),
    },
  }));
  const usesActivation = draft.launchMethod === "dom" || draft.launchMethod === "badge";
  const priority = Number(draft.priority);
  return {
    body: {
      name: draft.name.trim(),
      launchMethod: draft.launchMethod,
      activationSelector:
        usesActivation && draft.activationSelector.trim() !== "" ? draft.activationSelector.trim() : null,
      segmentId: draft.segmentId === "" ? null : draft.segmentId,
      pageId: draft.targeting === "page" && draft.pageId !== "" ? draft.pageId : null,
      urlRule: draft.targeting === "url" && draft.urlRule.trim() !== "" ? draft.urlRule.trim() : null,
      priority: Number.isFinite(priority) ? priority : 0,
      startsAt: isoOf(draft.startsAt),
      endsAt: isoOf(draft.endsAt),
      stagedVisitorIds: lines(draft.stagedVisitorIds),
      polls,
      steps,
    },
    pollAt,
  };
}

/** Where an API message points: `steps[0].content.blocks[2].url: is a javascript: URL…` → the field and the rest. */
export function fieldOfMessage(
  message: string,
  pollAt: readonly string[] = [],
): { field: string; problem: string } | null {
  const match = /^([A-Za-z][\w.[\]]*): (.+)$/s.exec(message);
  if (!match) return null;
  let field = match[1] ?? "";
  const poll = /^polls\[(\d+)\](.*)$/.exec(field);
  const at = poll ? pollAt[Number(poll[1])] : undefined;
  if (poll && at !== undefined) field = `${at}${poll[2] === ".type" ? ".pollType" : (poll[2] ?? "")}`;
  if (field.startsWith("stagedVisitorIds[")) field = "stagedVisitorIds";
  return { field, problem: match[2] ?? "" };
}
