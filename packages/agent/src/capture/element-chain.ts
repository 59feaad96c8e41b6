/**
 * The element chain of click/focus/submit/change events (agent-wire.md §5.4): the target and each
 * ancestor up to BODY, linked through `parentElem`.
 */
export interface ElementNode {
  tag: string;
  id: string;
  cls: string;
  title: string | null;
  attrs: Record<string, string>;
  myIndex: number;
  childIndex: number;
  txt?: string;
  parentElem?: ElementNode;
  /** Clicks only, on the leaf: the mouse button and modifier keys. */
  flags?: string[];
}

/** The part of the DOM the chain reads; a real `Element` satisfies it, so tests can pass plain objects. */
export interface ChainElement {
  readonly nodeName: string;
  readonly id: string;
  readonly textContent: string | null;
  readonly attributes?: ArrayLike<{ readonly name: string; readonly value: string }>;
  readonly parentNode: ChainParent | null;
  getAttribute(name: string): string | null;
}

export interface ChainParent {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly childNodes: ArrayLike<unknown>;
  readonly children?: ArrayLike<unknown>;
  /** Set on a ShadowRoot: the chain continues at its host. */
  readonly host?: unknown;
}

export interface ChainOptions {
  readonly excludeAllText: boolean;
  readonly allowedText: readonly string[];
  /** Names of extra attributes to capture on every element (Pendo's `htmlAttributes`, default tabindex). */
  readonly htmlAttributes: RegExp;
  readonly sanitizeUrl: (url: string) => string;
}

const ignoredClasses = /(^|\s)pendo(-analytics)?-ignore(\s|$)/;
const maxTextLength = 128;
const maxAttributeLength = 256;
const maxAttributes = 64;
/** A guard against pathological DOMs; real pages are far shallower. */
const maxDepth = 100;

// Attributes that describe an element without holding what the user typed (input values are left out).
const attributesByTag: Record<string, readonly string[]> = {
  A: ["href"],
  BUTTON: ["value", "name", "type"],
  IMG: ["src", "alt"],
  INPUT: ["name", "type", "placeholder"],
  SELECT: ["name"],
  TEXTAREA: ["name", "placeholder"],
  FORM: ["name", "action"],
};
const urlAttributes = /^(href|src|action)$/;

function indexIn(list: ArrayLike<unknown> | undefined, item: unknown): number {
  return list ? Array.prototype.indexOf.call(list, item) : -1;
}

function attributesOf(element: ChainElement, options: ChainOptions): Record<string, string> {
  const attrs: Record<string, string> = {};
  let count = 0;
  const add = (name: string, value: string | null): void => {
    if (value === null || count >= maxAttributes || name in attrs) return;
    attrs[name] = (urlAttributes.test(name) ? options.sanitizeUrl(value) : value).slice(
      0,
      maxAttributeLength,
    );
    count++;
  };
  for (const name of attributesByTag[element.nodeName.toUpperCase()] ?? [])
    add(name, element.getAttribute(name));
  const all = element.attributes;
  if (all) {
    for (let i = 0; i < all.length; i++) {
      const attribute = all[i];
      if (attribute && options.htmlAttributes.test(attribute.name)) add(attribute.name, attribute.value);
    }
  }
  return attrs;
}

/** The leaf's visible text, only when text capture is on or the text is explicitly allowed. */
export function allowedLeafText(element: ChainElement, options: ChainOptions): string | undefined {
  const text = (element.textContent ?? "").replace(/\s+/g, " ").trim();
  if (text === "") return undefined;
  if (options.allowedText.indexOf(text) >= 0) return text;
  return options.excludeAllText ? undefined : text.slice(0, maxTextLength);
}

function isChainElement(value: unknown): value is ChainElement {
  return (
    typeof value === "object" && value !== null && typeof (value as ChainElement).getAttribute === "function"
  );
}

/**
 * Builds the chain from `target` up to BODY, or returns null when the target or an ancestor carries
 * `pendo-ignore` / `pendo-analytics-ignore`.
 */
export function elementChain(target: ChainElement, options: ChainOptions): ElementNode | null {
  let leaf: ElementNode | undefined;
  let last: ElementNode | undefined;
  let element: ChainElement | null = target;
  for (let depth = 0; element && depth < maxDepth; depth++) {
    if (ignoredClasses.test(element.getAttribute("class") ?? "")) return null;
    const parent: ChainParent | null = element.parentNode;
    const node: ElementNode = {
      tag: element.nodeName.toUpperCase(),
      id: element.id || "",
      cls: element.getAttribute("class") ?? "",
      title: element.getAttribute("title"),
      attrs: attributesOf(element, options),
      myIndex: indexIn(parent?.childNodes, element),
      childIndex: indexIn(parent?.children, element),
    };
    if (!leaf) {
      leaf = node;
      const txt = allowedLeafText(element, options);
      if (txt !== undefined) node.txt = txt;
    }
    if (last) last.parentElem = node;
    last = node;
    if (node.tag === "BODY" || !parent) break;
    if (parent.nodeType === 11 && isChainElement(parent.host)) {
      const shadowRoot: ElementNode = {
        tag: "#shadow-root",
        id: "",
        cls: "",
        title: null,
        attrs: {},
        myIndex: 0,
        childIndex: 0,
      };
      last.parentElem = shadowRoot;
      last = shadowRoot;
      element = parent.host;
    } else {
      element = isChainElement(parent) ? parent : null;
    }
  }
  return leaf ?? null;
}

/** `flags` of a click: the mouse button, then the modifier keys held. */
export function clickFlags(event: {
  button: number;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}): string[] {
  const flags = [event.button === 1 ? "middle" : event.button === 2 ? "right" : "left"];
  if (event.altKey) flags.push("altKey");
  if (event.ctrlKey) flags.push("ctrlKey");
  if (event.metaKey) flags.push("metaKey");
  if (event.shiftKey) flags.push("shiftKey");
  return flags;
}
