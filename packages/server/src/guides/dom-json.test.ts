import assert from "node:assert/strict";
import { test } from "node:test";
import { checkContentDocument } from "./content-document.js";
import { type DomJsonNode, domJsonOf } from "./dom-json.js";

// The captured minimal payload's first step (agent-wire.md §7.3), which the agent displayed.
const captured = {
  type: "div",
  props: {
    id: "pendo-base",
    "data-layout": "lightboxBlank",
    style: { position: "fixed", "z-index": "300000" },
  },
  children: [
    {
      type: "div",
      props: {
        id: "pendo-guide-container",
        "data-vertical-alignment": "Centered",
        style: { position: "fixed", top: "200px", left: "420px", width: "360px", background: "#fff" },
      },
      children: [
        {
          type: "div",
          props: { id: "pendo-g-stepA1" },
          children: [
            { type: "h2", props: { id: "pendo-title-stepA1" }, content: "Welcome!" },
            {
              type: "button",
              props: { id: "pendo-button-stepA1-next", type: "button" },
              content: "Next",
              actions: [
                {
                  action: "advanceGuide",
                  source: "pendo-button-stepA1-next",
                  destination: "EventRouter",
                  eventType: "click",
                  parameters: [],
                  uiMetadata: {},
                },
              ],
            },
          ],
        },
      ],
    },
  ],
};

/** The tree's shape: node types, which props are present (not their values), content present, action keys. */
/** A node's structure: its type, prop names (a style is presentation, left out), children and actions. */
function shapeOf(node: DomJsonNode | Record<string, unknown>): unknown {
  const n = node as DomJsonNode;
  return {
    type: n.type,
    props: Object.keys(n.props)
      .filter((key) => key !== "style")
      .sort(),
    content: n.content === undefined ? undefined : typeof n.content,
    children: n.children?.map(shapeOf),
    actions: n.actions?.map((a) => ({ ...a, source: typeof a.source })),
  };
}

const polls = [
  { id: "nps1", type: "nps" as const, question: "How likely are you to recommend us?", choices: [] },
  { id: "pick", type: "multipleChoice" as const, question: "Which?", choices: ["A <b>", "B"] },
  { id: "why", type: "freeText" as const, question: "Why?", choices: [] },
  { id: "ok", type: "yesNo" as const, question: "Useful?", choices: [] },
];

test("domJsonOf gives the captured walkthrough step's shape: pendo-base, container, pendo-g-<step>, h2, button", () => {
  const step = {
    id: "stepA1",
    type: "lightbox" as const,
    closeButton: false,
    content: checkContentDocument("content", {
      blocks: [
        { type: "heading", text: "Welcome!" },
        { type: "button", label: "Next", action: { type: "advanceGuide" } },
      ],
    }),
  };
  const tree = domJsonOf({ polls: [] }, step);
  assert.deepEqual(shapeOf(tree), shapeOf(captured));
  const [heading, button] = tree.children?.[0]?.children?.[0]?.children ?? [];
  assert.deepEqual([heading?.content, button?.content], ["Welcome!", "Next"]);
  assert.match(String(button?.props.id), /^pendo-button-stepA1-/);
  assert.equal(button?.actions?.[0]?.source, button?.props.id);
});

/** The props Pendo's agent 2.291.4 lets a building block have, besides `data-*` and `aria-*`. */
const pendoAllowedProps = new Set(
  "allow allowfullscreen alt alt-text autofocus class cols contenteditable dir for frameborder href id loading name placeholder placement rows role sandbox scoped src start style tabindex target title type value".split(
    " ",
  ),
);

test("domJsonOf: every block and action, text only ever as content, polls with data-pendo-poll-id", () => {
  const tree = domJsonOf(
    { polls },
    {
      id: "gst_1",
      type: "tooltip",
      closeButton: true,
      content: checkContentDocument("content", {
        blocks: [
          { type: "heading", text: "Tip & trick", level: 3 },
          { type: "text", text: "Plain text: 1 < 2 and a > b" },
          { type: "image", url: "https://cdn.example.com/a.png", alt: "a chart" },
          { type: "poll", pollId: "nps1" },
          { type: "poll", pollId: "pick" },
          { type: "poll", pollId: "why" },
          { type: "poll", pollId: "ok" },
          { type: "button", label: "Back", action: { type: "previousStep" } },
          { type: "button", label: "Send", action: { type: "submitPoll" } },
          {
            type: "button",
            label: "Later",
            action: { type: "snoozeGuide", duration: { value: 2, unit: "Day" } },
          },
          {
            type: "button",
            label: "Docs",
            action: { type: "openLink", url: "https://docs.example.com/x?a=1" },
          },
          { type: "button", label: "Close", action: { type: "dismissGuide" } },
        ],
      }),
    },
  );
  assert.equal(tree.props.id, "pendo-base");
  assert.equal(tree.props["data-layout"], "tooltipBlank");
  const step = tree.children?.[0]?.children?.[0];
  assert.equal(step?.props.id, "pendo-g-gst_1");
  const nodes = step?.children ?? [];
  assert.deepEqual(
    nodes.map((n) => n.type),
    [
      "h3",
      "p",
      "img",
      "div",
      "div",
      "div",
      "div",
      "button",
      "button",
      "button",
      "button",
      "button",
      "button",
    ],
  );
  assert.equal(nodes[1]?.content, "Plain text: 1 < 2 and a > b");
  assert.deepEqual(nodes[2]?.props.src, "https://cdn.example.com/a.png");
  const nps = nodes[3];
  assert.equal(nps?.props["data-pendo-poll-id"], "nps1");
  const npsInputs = nps?.children?.[1]?.children?.filter((n) => n.type === "input") ?? [];
  assert.deepEqual(
    npsInputs.map((n) => n.props.value),
    ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
  );
  const pickLabels = nodes[4]?.children?.[1]?.children?.filter((n) => n.type === "label") ?? [];
  assert.deepEqual(
    pickLabels.map((n) => n.content),
    ["A <b>", "B"],
    "a choice is text",
  );
  const actions = nodes.slice(7).map((n) => [n.props.id, n.actions?.[0]?.action, n.actions?.[0]?.parameters]);
  assert.deepEqual(actions, [
    ["pendo-button-gst_1-7", "previousStep", []],
    ["pendo-button-gst_1-8", "submitPoll", []],
    [
      "pendo-button-gst_1-9",
      "guideSnoozed",
      [
        { name: "snooze_duration", value: "2", type: "number" },
        { name: "time_unit", value: "Day", type: "string" },
      ],
    ],
    [
      "pendo-button-gst_1-10",
      "openLink",
      [
        { name: "url", value: "https://docs.example.com/x?a=1", type: "url" },
        { name: "target", value: "_blank", type: "string" },
      ],
    ],
    ["pendo-button-gst_1-11", "dismissGuide", []],
    ["pendo-close-guide-gst_1", "dismissGuide", []],
  ]);
  for (const node of nodes)
    for (const action of node.actions ?? []) {
      assert.equal(action.destination, "EventRouter");
      assert.equal(action.source, node.props.id);
    }
  // Nothing anywhere is markup: no node of a type that runs or embeds, no prop that is a handler.
  const walk = (n: DomJsonNode): DomJsonNode[] => [n, ...(n.children ?? []).flatMap(walk)];
  for (const n of walk(tree)) {
    assert.ok(!["script", "iframe", "object", "embed", "style", "link"].includes(n.type), n.type);
    for (const key of Object.keys(n.props)) {
      assert.doesNotMatch(key, /^on|html/i);
      // Pendo's agent refuses to show a step with any other prop ("illegal building block key").
      assert.ok(pendoAllowedProps.has(key) || /^(data|aria)-/.test(key), `${n.type} prop ${key}`);
    }
  }
});
