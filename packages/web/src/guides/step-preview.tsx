import type { DraftBlock, DraftStep } from "./guide-draft.ts";

/** Only an absolute http(s) URL is ever put in a `src` or `href`; anything else shows as not set. */
export function safeHttpUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

const yesNo = ["Yes", "No"];
const zeroToTen = Array.from({ length: 11 }, (_, i) => String(i));

function PollPreview(props: { block: Extract<DraftBlock, { type: "poll" }> }) {
  const { block } = props;
  const options =
    block.pollType === "yesNo"
      ? yesNo
      : block.pollType === "nps"
        ? zeroToTen
        : block.pollType === "multipleChoice"
          ? block.choices
          : [];
  return (
    <fieldset className="preview-poll">
      <legend>{block.question || <span className="muted">(the question)</span>}</legend>
      {block.pollType === "freeText" ? (
        <input type="text" aria-label="answer" disabled placeholder="Type your answer" />
      ) : (
        <div className={block.pollType === "nps" ? "preview-scale" : "preview-choices"}>
          {options.map((option, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: choices may repeat while being typed
            <label key={i} className="check">
              <input type="radio" disabled name={block.key} />
              {option}
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}

function BlockPreview(props: { block: DraftBlock }) {
  const { block } = props;
  switch (block.type) {
    case "heading": {
      const Heading = block.level === 1 ? "h3" : block.level === 2 ? "h4" : "h5";
      return <Heading className="preview-heading">{block.text}</Heading>;
    }
    case "text":
      return <p className="preview-text">{block.text}</p>;
    case "image": {
      const src = safeHttpUrl(block.url);
      return src ? (
        <img className="preview-image" src={src} alt={block.alt} referrerPolicy="no-referrer" />
      ) : (
        <p className="muted">(an image: give its http(s) URL)</p>
      );
    }
    case "button": {
      const href = block.action.type === "openLink" ? safeHttpUrl(block.action.url) : null;
      return href ? (
        <a className="preview-button" href={href} target="_blank" rel="noopener noreferrer nofollow">
          {block.label}
        </a>
      ) : (
        <button type="button" className="preview-button" tabIndex={-1}>
          {block.label}
        </button>
      );
    }
    case "poll":
      return <PollPreview block={block} />;
  }
}

/**
 * A step as visitors will see it, drawn by React from the draft: every text goes in as text (never as markup),
 * and only http(s) URLs reach an image or a link. A sketch of the agent's rendering, not the agent itself.
 */
export function StepPreview(props: { step: DraftStep; index: number; total: number }) {
  const { step } = props;
  return (
    <figure className={`preview preview-${step.type}`} aria-label={`Preview of step ${props.index + 1}`}>
      <figcaption className="muted">
        Preview: step {props.index + 1} of {props.total}, {step.type}
        {step.type === "tooltip" ? ` at ${step.anchorSelector || "(no anchor yet)"}` : ""}
      </figcaption>
      <div className="preview-stage">
        {step.type === "tooltip" ? <span className="preview-anchor">anchor</span> : null}
        <div className="preview-guide" data-testid="step-preview">
          {step.closeButton ? (
            <span className="preview-close" title="close">
              ×
            </span>
          ) : null}
          {step.blocks.map((block) => (
            <BlockPreview key={block.key} block={block} />
          ))}
        </div>
      </div>
    </figure>
  );
}
