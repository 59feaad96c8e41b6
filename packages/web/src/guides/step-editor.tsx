import { AnchorCheck } from "./anchor-check.tsx";
import {
  type ActionType,
  type BlockType,
  type DraftBlock,
  type DraftStep,
  newAction,
  newBlock,
  type PollType,
} from "./guide-draft.ts";
import { Field, PartProblem } from "./guide-fields.tsx";
import { StepPreview } from "./step-preview.tsx";

const blockLabels: Record<BlockType, string> = {
  heading: "Heading",
  text: "Text",
  image: "Image",
  button: "Button",
  poll: "Poll",
};

const actionLabels: Record<ActionType, string> = {
  advanceGuide: "Next step",
  previousStep: "Previous step",
  dismissGuide: "Dismiss the guide",
  snoozeGuide: "Snooze the guide",
  submitPoll: "Submit the poll",
  openLink: "Open a link",
};

const pollLabels: Record<PollType, string> = {
  yesNo: "Yes / No",
  nps: "NPS (0–10)",
  freeText: "Free text",
  multipleChoice: "Multiple choice",
};

function BlockEditor(props: {
  block: DraftBlock;
  path: string;
  readOnly: boolean;
  onChange: (block: DraftBlock) => void;
}) {
  const { block, path, readOnly } = props;
  const set = (change: Partial<DraftBlock>) => props.onChange({ ...block, ...change } as DraftBlock);
  switch (block.type) {
    case "heading":
      return (
        <div className="block-fields">
          <Field label="Heading" path={`${path}.text`}>
            {(id, describedBy) => (
              <input
                id={id}
                aria-describedby={describedBy}
                value={block.text}
                readOnly={readOnly}
                onChange={(e) => set({ text: e.target.value })}
              />
            )}
          </Field>
          <Field label="Size" path={`${path}.level`}>
            {(id) => (
              <select
                id={id}
                value={block.level}
                disabled={readOnly}
                onChange={(e) => set({ level: Number(e.target.value) as 1 | 2 | 3 })}
              >
                <option value={1}>large</option>
                <option value={2}>medium</option>
                <option value={3}>small</option>
              </select>
            )}
          </Field>
        </div>
      );
    case "text":
      return (
        <Field label="Text (plain text; line breaks kept)" path={`${path}.text`}>
          {(id, describedBy) => (
            <textarea
              id={id}
              aria-describedby={describedBy}
              rows={3}
              value={block.text}
              readOnly={readOnly}
              onChange={(e) => set({ text: e.target.value })}
            />
          )}
        </Field>
      );
    case "image":
      return (
        <div className="block-fields">
          <Field label="Image URL (https://…)" path={`${path}.url`}>
            {(id, describedBy) => (
              <input
                id={id}
                aria-describedby={describedBy}
                type="url"
                value={block.url}
                readOnly={readOnly}
                onChange={(e) => set({ url: e.target.value })}
              />
            )}
          </Field>
          <Field label="What it shows (alt text)" path={`${path}.alt`}>
            {(id, describedBy) => (
              <input
                id={id}
                aria-describedby={describedBy}
                value={block.alt}
                readOnly={readOnly}
                onChange={(e) => set({ alt: e.target.value })}
              />
            )}
          </Field>
        </div>
      );
    case "button": {
      const { action } = block;
      return (
        <div className="block-fields">
          <Field label="Button label" path={`${path}.label`}>
            {(id, describedBy) => (
              <input
                id={id}
                aria-describedby={describedBy}
                value={block.label}
                readOnly={readOnly}
                onChange={(e) => set({ label: e.target.value })}
              />
            )}
          </Field>
          <Field label="When clicked" path={`${path}.action.type`}>
            {(id) => (
              <select
                id={id}
                value={action.type}
                disabled={readOnly}
                onChange={(e) => set({ action: newAction(e.target.value as ActionType) })}
              >
                {Object.entries(actionLabels).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {action.type === "openLink" ? (
            <Field label="Link (https://…)" path={`${path}.action.url`}>
              {(id, describedBy) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  type="url"
                  value={action.url}
                  readOnly={readOnly}
                  onChange={(e) => set({ action: { ...action, url: e.target.value } })}
                />
              )}
            </Field>
          ) : null}
          {action.type === "snoozeGuide" ? (
            <Field label="For" path={`${path}.action.duration.value`}>
              {(id) => (
                <span className="row">
                  <input
                    id={id}
                    type="number"
                    min={1}
                    value={action.duration.value}
                    readOnly={readOnly}
                    onChange={(e) =>
                      set({
                        action: {
                          ...action,
                          duration: { ...action.duration, value: Number(e.target.value) },
                        },
                      })
                    }
                  />
                  <select
                    aria-label="unit"
                    value={action.duration.unit}
                    disabled={readOnly}
                    onChange={(e) =>
                      set({
                        action: {
                          ...action,
                          duration: { ...action.duration, unit: e.target.value as "Hour" | "Day" | "Week" },
                        },
                      })
                    }
                  >
                    <option value="Hour">hours</option>
                    <option value="Day">days</option>
                    <option value="Week">weeks</option>
                  </select>
                </span>
              )}
            </Field>
          ) : null}
        </div>
      );
    }
    case "poll":
      return (
        <div className="block-fields">
          <Field label="Question" path={`${path}.question`}>
            {(id, describedBy) => (
              <input
                id={id}
                aria-describedby={describedBy}
                value={block.question}
                readOnly={readOnly}
                onChange={(e) => set({ question: e.target.value })}
              />
            )}
          </Field>
          <Field label="Answer" path={`${path}.pollType`}>
            {(id) => (
              <select
                id={id}
                value={block.pollType}
                disabled={readOnly}
                onChange={(e) => set({ pollType: e.target.value as PollType })}
              >
                {Object.entries(pollLabels).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {block.pollType === "multipleChoice" ? (
            <Field label="Choices, one a line" path={`${path}.choices`}>
              {(id, describedBy) => (
                <textarea
                  id={id}
                  aria-describedby={describedBy}
                  rows={3}
                  value={block.choices.join("\n")}
                  readOnly={readOnly}
                  onChange={(e) => set({ choices: e.target.value.split("\n") })}
                />
              )}
            </Field>
          ) : null}
          <p className="muted">
            Poll id <code>{block.pollId}</code>; add a “Submit the poll” button to send the answer.
          </p>
        </div>
      );
  }
}

/** One step of the guide: its kind, anchor, close button and blocks, with the live preview beside them. */
export function StepEditor(props: {
  step: DraftStep;
  index: number;
  steps: readonly DraftStep[];
  pageUrl: string;
  readOnly: boolean;
  onChange: (step: DraftStep) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { step, index, readOnly } = props;
  const path = `steps[${index}]`;
  const set = (change: Partial<DraftStep>) => props.onChange({ ...step, ...change });
  const setBlock = (i: number, block: DraftBlock) =>
    set({ blocks: step.blocks.map((b, j) => (j === i ? block : b)) });
  const moveBlock = (i: number, by: -1 | 1) => {
    const blocks = [...step.blocks];
    const [moved] = blocks.splice(i, 1);
    if (moved) blocks.splice(i + by, 0, moved);
    set({ blocks });
  };
  const total = props.steps.length;
  return (
    <section className="step-editor" aria-labelledby={`${step.key}-title`}>
      <header className="panel-header">
        <h3 id={`${step.key}-title`}>Step {index + 1}</h3>
        {readOnly ? null : (
          <div className="row">
            <button
              type="button"
              disabled={index === 0}
              onClick={() => props.onMove(-1)}
              aria-label={`Move step ${index + 1} up`}
            >
              ↑
            </button>
            <button
              type="button"
              disabled={index === total - 1}
              onClick={() => props.onMove(1)}
              aria-label={`Move step ${index + 1} down`}
            >
              ↓
            </button>
            <button type="button" className="danger" onClick={props.onRemove}>
              Remove step
            </button>
          </div>
        )}
      </header>
      <PartProblem path={path} />
      <div className="step-columns">
        <div className="step-fields">
          <div className="block-fields">
            <Field label="Shown as" path={`${path}.type`}>
              {(id) => (
                <select
                  id={id}
                  value={step.type}
                  disabled={readOnly}
                  onChange={(e) => set({ type: e.target.value as DraftStep["type"] })}
                >
                  <option value="lightbox">lightbox (centred, page dimmed)</option>
                  <option value="tooltip">tooltip (beside an element)</option>
                  <option value="banner">banner (top of the page)</option>
                </select>
              )}
            </Field>
            <label className="check">
              <input
                type="checkbox"
                checked={step.closeButton}
                disabled={readOnly}
                onChange={(e) => set({ closeButton: e.target.checked })}
              />
              Close button (×)
            </label>
          </div>
          {step.type === "tooltip" ? (
            <>
              <Field
                label="Anchor: the CSS selector of the element it points at"
                path={`${path}.anchorSelector`}
                note="Paste the selector the agent reports for an element (as when tagging a feature), or write one."
              >
                {(id, describedBy) => (
                  <input
                    id={id}
                    aria-describedby={describedBy}
                    value={step.anchorSelector}
                    readOnly={readOnly}
                    placeholder="#save-report"
                    onChange={(e) => set({ anchorSelector: e.target.value })}
                  />
                )}
              </Field>
              <AnchorCheck
                key={`${props.pageUrl} ${step.anchorSelector}`}
                url={props.pageUrl}
                selector={step.anchorSelector}
                what="anchor"
              />
            </>
          ) : null}
          <PartProblem path={`${path}.content`} />
          <PartProblem path={`${path}.content.blocks`} />
          <ol className="blocks">
            {step.blocks.map((block, i) => (
              <li key={block.key} className="block">
                <div className="block-head">
                  <strong>{blockLabels[block.type]}</strong>
                  {readOnly ? null : (
                    <span className="row">
                      <button
                        type="button"
                        disabled={i === 0}
                        onClick={() => moveBlock(i, -1)}
                        aria-label={`Move ${block.type} up`}
                      >
                        ↑
                      </button>
                      <button
                        type="button"
                        disabled={i === step.blocks.length - 1}
                        onClick={() => moveBlock(i, 1)}
                        aria-label={`Move ${block.type} down`}
                      >
                        ↓
                      </button>
                      <button
                        type="button"
                        onClick={() => set({ blocks: step.blocks.filter((_, j) => j !== i) })}
                        aria-label={`Remove ${block.type}`}
                      >
                        ×
                      </button>
                    </span>
                  )}
                </div>
                <PartProblem path={`${path}.content.blocks[${i}]`} />
                <BlockEditor
                  block={block}
                  path={`${path}.content.blocks[${i}]`}
                  readOnly={readOnly}
                  onChange={(b) => setBlock(i, b)}
                />
              </li>
            ))}
          </ol>
          {readOnly ? null : (
            <div className="row add-blocks">
              <span className="muted">Add:</span>
              {(Object.keys(blockLabels) as BlockType[]).map((type) => (
                <button
                  key={type}
                  type="button"
                  onClick={() => set({ blocks: [...step.blocks, newBlock(type, props.steps)] })}
                >
                  + {blockLabels[type]}
                </button>
              ))}
            </div>
          )}
        </div>
        <StepPreview step={step} index={index} total={total} />
      </div>
    </section>
  );
}
