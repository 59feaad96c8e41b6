/** How long a step waits for its anchor to appear before it is skipped (docs/guides.md). */
export const targetTimeoutMs = 3000;

type Root = Document | ShadowRoot;

function visible(el: Element): boolean {
  const rect = el.getBoundingClientRect();
  return rect.width > 0 || rect.height > 0;
}

/**
 * The first visible element matching `selector` in the page, in open shadow roots, or in same-origin iframes
 * (at any depth). A selector that does not parse matches nothing.
 */
export function findTarget(root: Root, selector: string): Element | null {
  let hit: Element | null = null;
  try {
    for (const el of Array.from(root.querySelectorAll(selector))) if (visible(el)) return el;
  } catch {
    return null;
  }
  for (const el of Array.from(root.querySelectorAll("*"))) {
    if (el.shadowRoot) hit = findTarget(el.shadowRoot, selector);
    else if (el.tagName === "IFRAME") {
      let inner: Document | null = null;
      try {
        inner = (el as HTMLIFrameElement).contentDocument;
      } catch {
        // Another origin's frame: out of reach, as it should be.
      }
      if (inner) hit = findTarget(inner, selector);
    }
    if (hit) return hit;
  }
  return null;
}

/**
 * Calls `found` with the target once it is there (now, or when the page adds it), or with null after
 * `timeoutMs`. Returns the function that stops waiting. Shadow roots and frames are not observed, so a
 * slow poll backs up the observer.
 */
export function waitForTarget(
  win: Window,
  selector: string,
  found: (el: Element | null) => void,
  timeoutMs = targetTimeoutMs,
): () => void {
  const doc = win.document;
  const now = findTarget(doc, selector);
  if (now) {
    found(now);
    return () => undefined;
  }
  const check = (): void => {
    if (done) return;
    const el = findTarget(doc, selector);
    if (el) finish(el);
  };
  // A busy page mutates often; one search per 50 ms is enough.
  let queued = false;
  let done = false;
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    win.setTimeout(() => {
      queued = false;
      check();
    }, 50);
  });
  observer.observe(doc.documentElement, { childList: true, subtree: true, attributes: true });
  const poll = win.setInterval(check, 250);
  const timer = win.setTimeout(() => finish(null), timeoutMs);
  function stop(): void {
    done = true;
    observer.disconnect();
    win.clearInterval(poll);
    win.clearTimeout(timer);
  }
  function finish(el: Element | null): void {
    if (done) return;
    stop();
    found(el);
  }
  return stop;
}

/** The element's position in the top window's viewport, adding the offsets of the frames it is in. */
export function viewportRect(el: Element): { top: number; left: number; width: number; height: number } {
  const r = el.getBoundingClientRect();
  let top = r.top;
  let left = r.left;
  let frame = el.ownerDocument.defaultView?.frameElement ?? null;
  while (frame) {
    const f = frame.getBoundingClientRect();
    top += f.top + frame.clientTop;
    left += f.left + frame.clientLeft;
    frame = frame.ownerDocument.defaultView?.frameElement ?? null;
  }
  return { top, left, width: r.width, height: r.height };
}

/**
 * Where a guide anchored to `el` must be mounted to be drawn above it: inside the open `<dialog>` or open
 * popover that holds it (the top layer, which nothing outside can cover, and outside a modal dialog everything
 * is inert), else the page's body. Climbs out of shadow roots and frames.
 */
export function layerFor(el: Element, doc: Document): Element {
  let node: Node | null = el;
  while (node) {
    if (node.nodeType === 1) {
      const e = node as Element;
      if (e.tagName === "DIALOG" && (e as HTMLDialogElement).open) return e;
      try {
        if (e.hasAttribute("popover") && e.matches(":popover-open")) return e;
      } catch {
        // A browser without popovers has none open.
      }
    }
    const parent: Node | null = node.parentNode;
    if (parent && parent.nodeType === 11) node = (parent as ShadowRoot).host ?? null;
    else if (parent && parent.nodeType === 9) node = (parent as Document).defaultView?.frameElement ?? null;
    else node = parent;
  }
  return doc.body;
}

/** Where a guide without a target goes: inside the page's open modal dialog if there is one (else it would be
 * inert and covered), else the body. */
export function pageLayer(doc: Document): Element {
  try {
    return doc.querySelector("dialog:modal") ?? doc.body;
  } catch {
    return doc.body;
  }
}
