import type { ButtonAction, ContentBlock, ContentDocument } from "./content-document.js";
import type { GuidePollType, GuideStepType } from "./guide-words.js";

// A step as the agent draws it: Pendo's building-block `domJson` tree (agent-wire.md §7.3). Text only ever goes
// into a node's `content`, which the agent sets as text; URLs only into an image's `src` or an openLink's
// parameter; ids are Cairn's (steps) or checked to [A-Za-z0-9_-] (polls). No `css`, no `style` from the author.

/** One node of the tree. */
export interface DomJsonNode {
  readonly type: string;
  readonly props: Readonly<Record<string, string | Readonly<Record<string, string>>>>;
  readonly content?: string;
  readonly children?: readonly DomJsonNode[];
  readonly actions?: readonly DomJsonAction[];
}

export interface DomJsonAction {
  readonly action: string;
  readonly source: string;
  readonly destination: "EventRouter";
  readonly eventType: "click";
  readonly parameters: readonly { readonly name: string; readonly value: string; readonly type: string }[];
  readonly uiMetadata: Readonly<Record<string, never>>;
}

/** What domJsonOf reads of a guide: its polls. */
export interface DomJsonGuide {
  readonly polls: readonly {
    readonly id: string;
    readonly type: GuidePollType;
    readonly question: string;
    readonly choices: readonly string[];
  }[];
}

/** What domJsonOf reads of a step. */
export interface DomJsonStep {
  readonly id: string;
  readonly type: GuideStepType;
  readonly closeButton: boolean;
  readonly content: ContentDocument;
}

const layouts: Record<GuideStepType, { layout: string; alignment: string; style: Record<string, string> }> = {
  lightbox: {
    layout: "lightboxBlank",
    alignment: "Centered",
    style: {
      position: "fixed",
      top: "50%",
      left: "50%",
      transform: "translate(-50%, -50%)",
      width: "400px",
      "max-width": "calc(100vw - 32px)",
    },
  },
  tooltip: {
    layout: "tooltipBlank",
    alignment: "Relative to Element",
    style: { position: "absolute", width: "320px", "max-width": "calc(100vw - 32px)" },
  },
  banner: {
    layout: "bannerBlank",
    alignment: "Top Aligned",
    style: { position: "fixed", top: "0", left: "0", right: "0", width: "100%" },
  },
};

const buttonStyle = {
  margin: "12px 8px 0 0",
  padding: "6px 14px",
  border: "1px solid #1f6feb",
  "border-radius": "6px",
  background: "#1f6feb",
  color: "#ffffff",
  font: "inherit",
  cursor: "pointer",
};

const closeStyle = {
  position: "absolute",
  top: "6px",
  right: "8px",
  border: "none",
  background: "transparent",
  color: "#5b6170",
  "font-size": "20px",
  "line-height": "1",
  cursor: "pointer",
};

const containerStyle = {
  background: "#ffffff",
  color: "#1f2430",
  padding: "20px 24px",
  "border-radius": "8px",
  "box-shadow": "0 8px 24px rgba(0, 0, 0, 0.2)",
  "box-sizing": "border-box",
  "font-family": "system-ui, sans-serif",
} as const;

/** Pendo's action names and parameters for each button action. */
function pendoAction(source: string, action: ButtonAction): DomJsonAction {
  const of = (name: string, parameters: DomJsonAction["parameters"] = []): DomJsonAction => ({
    action: name,
    source,
    destination: "EventRouter",
    eventType: "click",
    parameters,
    uiMetadata: {},
  });
  switch (action.type) {
    case "snoozeGuide":
      return of("guideSnoozed", [
        { name: "snooze_duration", value: String(action.duration.value), type: "number" },
        { name: "time_unit", value: action.duration.unit, type: "string" },
      ]);
    case "openLink":
      return of("openLink", [
        { name: "url", value: action.url, type: "url" },
        { name: "target", value: action.newTab === false ? "_self" : "_blank", type: "string" },
      ]);
    default:
      return of(action.type);
  }
}

function pollNode(id: string, poll: DomJsonGuide["polls"][number]): DomJsonNode {
  const input = (suffix: string, value: string, label: string): DomJsonNode[] => [
    {
      type: "input",
      props: {
        id: `${id}-${suffix}`,
        type: "radio",
        name: `${id}-choice`,
        value,
        "data-pendo-poll-id": poll.id,
      },
    },
    { type: "label", props: { id: `${id}-${suffix}-label`, for: `${id}-${suffix}` }, content: label },
  ];
  const inputs: DomJsonNode[] =
    poll.type === "freeText"
      ? [
          {
            type: "input",
            props: {
              id: `${id}-input`,
              type: "text",
              name: `${id}-text`,
              "data-pendo-poll-id": poll.id,
            },
          },
        ]
      : poll.type === "yesNo"
        ? [...input("yes", "Yes", "Yes"), ...input("no", "No", "No")]
        : poll.type === "nps"
          ? Array.from({ length: 11 }, (_, n) => input(String(n), String(n), String(n))).flat()
          : poll.choices.flatMap((choice, n) => input(String(n), choice, choice));
  return {
    type: "div",
    props: { id, class: "_pendo-poll", "data-pendo-poll-id": poll.id, "data-pendo-poll-type": poll.type },
    children: [
      { type: "div", props: { id: `${id}-question`, class: "_pendo-poll-question" }, content: poll.question },
      { type: "div", props: { id: `${id}-inputs`, class: "_pendo-poll-inputs" }, children: inputs },
    ],
  };
}

function blockNode(guide: DomJsonGuide, stepId: string, block: ContentBlock, index: number): DomJsonNode {
  switch (block.type) {
    case "heading":
      return {
        type: `h${block.level ?? 2}`,
        props: { id: `pendo-title-${stepId}-${index}` },
        content: block.text,
      };
    case "text":
      return { type: "p", props: { id: `pendo-text-${stepId}-${index}` }, content: block.text };
    case "image":
      return {
        type: "img",
        props: {
          id: `pendo-image-${stepId}-${index}`,
          src: block.url,
          alt: block.alt,
          style: { "max-width": "100%" },
        },
      };
    case "button": {
      const id = `pendo-button-${stepId}-${index}`;
      return {
        type: "button",
        props: { id, type: "button", style: buttonStyle },
        content: block.label,
        actions: [pendoAction(id, block.action)],
      };
    }
    case "poll": {
      const poll = guide.polls.find((p) => p.id === block.pollId);
      const id = `pendo-poll-${stepId}-${index}`;
      // The service refuses a step whose poll is not the guide's; a stale one is drawn as nothing.
      return poll ? pollNode(id, poll) : { type: "div", props: { id }, children: [] };
    }
  }
}

/**
 * A step as Pendo's `domJson`: the root `pendo-base`, the container `pendo-guide-container`, the step's node
 * `pendo-g-<stepId>` holding one node per block (and the close button), buttons `pendo-button-<stepId>-<n>` /
 * `pendo-close-guide-<stepId>`, polls with `data-pendo-poll-id`, actions routed to the `EventRouter`.
 */
export function domJsonOf(guide: DomJsonGuide, step: DomJsonStep): DomJsonNode {
  const { layout, alignment, style } = layouts[step.type];
  const children = step.content.blocks.map((block, index) => blockNode(guide, step.id, block, index));
  if (step.closeButton) {
    const id = `pendo-close-guide-${step.id}`;
    children.push({
      type: "button",
      props: { id, class: "_pendo-close-guide", type: "button", "aria-label": "Close", style: closeStyle },
      content: "×",
      actions: [pendoAction(id, { type: "dismissGuide" })],
    });
  }
  return {
    type: "div",
    props: { id: "pendo-base", "data-layout": layout, style: { position: "fixed", "z-index": "300000" } },
    children: [
      {
        type: "div",
        props: {
          id: "pendo-guide-container",
          "data-vertical-alignment": alignment,
          style: { ...style, ...containerStyle },
        },
        children: [{ type: "div", props: { id: `pendo-g-${step.id}` }, children }],
      },
    ],
  };
}
