import { viewportRect } from "./find-target.js";
import { followTarget } from "./follow-target.js";
import { guideStyle } from "./guide-style.js";

export interface StepView {
  readonly root: ShadowRoot;
  /** Removes the step; a lightbox gives the focus back to where it was. */
  close(): void;
}

export interface StepViewOptions {
  readonly type: string;
  readonly nodes: Node[];
  readonly labelId: string | null;
  readonly label: string;
  /** The element a tooltip points at. */
  readonly target: Element | null;
  /** Where the host goes: the body, or the open dialog or popover holding the target. */
  readonly layer: Element;
}

const focusable = "button,input,textarea,select,a[href],[tabindex]:not([tabindex='-1'])";

/** The focused element, looking into shadow roots (the page's focus may be inside a web component). */
function deepActive(doc: Document): HTMLElement | null {
  let active = doc.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active as HTMLElement | null;
}

/** A host element with an open shadow root holding the guide's styles; marked so the agent does not track it. */
export function guideHost(
  doc: Document,
  layer: Element,
  kind: string,
): { host: HTMLElement; root: ShadowRoot } {
  const host = doc.createElement("div");
  host.setAttribute("data-cairn-guide", kind);
  host.className = "pendo-ignore";
  const root = host.attachShadow({ mode: "open" });
  const style = doc.createElement("style");
  style.textContent = guideStyle;
  root.append(style);
  layer.appendChild(host);
  return { host, root };
}

/**
 * Draws a step: a lightbox (modal: backdrop, focus kept inside, focus given back on close), a tooltip (next
 * to its target, following it as the page scrolls or resizes) or a banner (top of the page).
 */
export function mountStep(win: Window, options: StepViewOptions): StepView {
  const doc = win.document;
  const kind =
    options.type === "tooltip" && options.target
      ? "tooltip"
      : options.type === "banner"
        ? "banner"
        : "lightbox";
  const { host, root } = guideHost(doc, options.layer, kind);
  const box = doc.createElement("div");
  box.className = `g ${kind}`;
  box.setAttribute("role", kind === "banner" ? "region" : "dialog");
  if (options.labelId) box.setAttribute("aria-labelledby", options.labelId);
  else box.setAttribute("aria-label", options.label);
  box.append(...options.nodes);
  const returnFocus = kind === "lightbox" ? deepActive(doc) : null;
  let stopFollowing = (): void => undefined;

  if (kind === "lightbox") {
    box.setAttribute("aria-modal", "true");
    const backdrop = doc.createElement("div");
    backdrop.className = "bd";
    root.append(backdrop);
    // The focus stays in the lightbox while it is open: Tab from the last control comes back to the first.
    root.addEventListener("keydown", (event) => {
      const e = event as KeyboardEvent;
      if (e.key !== "Tab") return;
      const items = Array.from(box.querySelectorAll<HTMLElement>(focusable));
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) return;
      const active = root.activeElement;
      if (e.shiftKey && (active === first || !box.contains(active))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (active === last || !box.contains(active))) {
        e.preventDefault();
        first.focus();
      }
    });
  }
  root.append(box);

  if (kind === "tooltip" && options.target) {
    const target = options.target;
    stopFollowing = followTarget(win, target, box, function placeTooltip() {
      const r = viewportRect(target);
      const w = box.offsetWidth;
      const h = box.offsetHeight;
      const gap = 12;
      const below = r.top + r.height + gap + h <= win.innerHeight || r.top - gap - h < 0;
      const top = below ? r.top + r.height + gap : r.top - gap - h;
      const left = Math.max(8, Math.min(r.left + r.width / 2 - w / 2, win.innerWidth - w - 8));
      box.classList.toggle("below", below);
      box.classList.toggle("above", !below);
      box.style.top = `${Math.round(top)}px`;
      box.style.left = `${Math.round(left)}px`;
      box.style.setProperty(
        "--ax",
        `${Math.round(Math.max(16, Math.min(w - 16, r.left + r.width / 2 - left)))}px`,
      );
      // A target scrolled out of sight (or removed) takes its tooltip with it.
      const inView = target.isConnected && r.top + r.height > 0 && r.top < win.innerHeight;
      box.style.visibility = inView ? "visible" : "hidden";
    });
  }

  if (kind === "lightbox") box.querySelector<HTMLElement>(focusable)?.focus();

  return {
    root,
    close() {
      stopFollowing();
      host.remove();
      if (returnFocus?.isConnected) returnFocus.focus();
    },
  };
}
