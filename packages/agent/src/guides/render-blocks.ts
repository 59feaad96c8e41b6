import type { ButtonAction, Guide, GuidePoll, GuideStep } from "../guide-loader/guide-contract.js";

/** A poll's answer as poll.gif carries it: a number for numeric polls (NPS), else the text chosen or typed. */
export interface PollAnswer {
  readonly poll: GuidePoll;
  readonly value: string | number;
}

export interface RenderedBlocks {
  readonly nodes: Node[];
  /** The id of the first heading, to label the dialog. */
  readonly labelId: string | null;
  /** The answers given so far in the step's polls. */
  pollAnswers(): PollAnswer[];
}

export type OnButton = (button: HTMLElement, action: ButtonAction) => void;

/** Only absolute http(s) URLs reach an `src` or a link. */
export function isHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

const secondary: Record<string, boolean> = { previousStep: true, dismissGuide: true, snoozeGuide: true };

function pollInputs(doc: Document, poll: GuidePoll, name: string): { node: HTMLElement; read: () => string } {
  const field = doc.createElement("fieldset");
  const legend = doc.createElement("legend");
  legend.textContent = poll.question ?? "";
  field.append(legend);
  if (poll.type === "freeText") {
    const area = doc.createElement("textarea");
    area.name = name;
    area.maxLength = 2000;
    area.setAttribute("aria-label", poll.question ?? "Your answer");
    field.append(area);
    return { node: field, read: () => area.value.trim() };
  }
  const values =
    poll.type === "yesNo"
      ? ["Yes", "No"]
      : poll.type === "nps"
        ? Array.from({ length: 11 }, (_, n) => String(n))
        : (poll.choices ?? []);
  const options = doc.createElement("div");
  options.className = poll.type === "nps" ? "o nps" : "o";
  const radios = values.map((value) => {
    const label = doc.createElement("label");
    const input = doc.createElement("input");
    input.type = "radio";
    input.name = name;
    input.value = value;
    label.append(input, doc.createTextNode(value));
    options.append(label);
    return input;
  });
  field.append(options);
  return { node: field, read: () => radios.find((r) => r.checked)?.value ?? "" };
}

/**
 * A step's content document as elements. Text goes in only as text nodes (never parsed as markup); images
 * and links only with http(s) URLs. Buttons carry Pendo's ids (`pendo-button-<stepId>-<n>`) for guideActivity.
 */
export function renderBlocks(
  doc: Document,
  guide: Guide,
  step: GuideStep,
  onButton: OnButton,
): RenderedBlocks {
  const nodes: Node[] = [];
  const polls: Array<{ poll: GuidePoll; read: () => string }> = [];
  let labelId: string | null = null;
  let row: HTMLElement | null = null;
  for (const [index, block] of (step.document?.blocks ?? []).entries()) {
    if (block.type !== "button") row = null;
    switch (block.type) {
      case "heading": {
        const h = doc.createElement(`h${block.level ?? 2}`);
        h.id = `pendo-title-${step.id}-${index}`;
        h.textContent = block.text;
        labelId ??= h.id;
        nodes.push(h);
        break;
      }
      case "text": {
        const p = doc.createElement("p");
        p.textContent = block.text;
        nodes.push(p);
        break;
      }
      case "image": {
        if (!isHttpUrl(block.url)) break;
        const img = doc.createElement("img");
        img.src = block.url;
        img.alt = block.alt;
        nodes.push(img);
        break;
      }
      case "button": {
        if (!row) {
          row = doc.createElement("div");
          row.className = "a";
          nodes.push(row);
        }
        const button = doc.createElement("button");
        button.type = "button";
        button.id = `pendo-button-${step.id}-${index}`;
        button.className = secondary[block.action.type] ? "b s" : "b";
        button.textContent = block.label;
        const { action } = block;
        button.addEventListener("click", () => onButton(button, action));
        row.append(button);
        break;
      }
      case "poll": {
        const poll = guide.polls?.find((p) => p.id === block.pollId);
        if (!poll) break;
        const { node, read } = pollInputs(doc, poll, `pendo-poll-${step.id}-${index}`);
        node.setAttribute("data-pendo-poll-id", poll.id);
        polls.push({ poll, read });
        nodes.push(node);
        break;
      }
    }
  }
  // A row of only secondary actions (a lone "Got it" that dismisses) still has a primary-looking button.
  for (const node of nodes) {
    const buttons = (node as HTMLElement).className === "a" ? (node as HTMLElement).children : null;
    const last = buttons?.[buttons.length - 1];
    if (last && !Array.from(buttons ?? []).some((b) => b.className === "b")) last.className = "b";
  }
  if (step.closeButton) {
    const close = doc.createElement("button");
    close.type = "button";
    close.id = `pendo-close-guide-${step.id}`;
    close.className = "x";
    close.setAttribute("aria-label", "Close");
    close.textContent = "×";
    close.addEventListener("click", () => onButton(close, { type: "dismissGuide" }));
    nodes.push(close);
  }
  return {
    nodes,
    labelId,
    pollAnswers: () =>
      polls.flatMap(({ poll, read }) => {
        const text = read();
        if (text === "") return [];
        return [{ poll, value: poll.numericResponses && !Number.isNaN(Number(text)) ? Number(text) : text }];
      }),
  };
}
