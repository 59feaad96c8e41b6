import type { ChainElement, ChainParent } from "../capture/element-chain.js";

/** A tiny element tree for testing the element chain without a browser. */
export interface FakeElement extends ChainElement, ChainParent {
  readonly childNodes: unknown[];
  readonly children: FakeElement[];
  parentNode: (ChainParent & { childNodes: unknown[]; children?: unknown[] }) | null;
  append(...nodes: Array<FakeElement | string>): FakeElement;
}

export function el(tag: string, attributes: Record<string, string> = {}, text = ""): FakeElement {
  const element: FakeElement = {
    nodeType: 1,
    nodeName: tag.toUpperCase(),
    id: attributes.id ?? "",
    childNodes: [],
    children: [],
    parentNode: null,
    get textContent() {
      return (
        text +
        element.childNodes
          .map((node) => (typeof node === "string" ? node : (node as FakeElement).textContent))
          .join("")
      );
    },
    attributes: Object.entries(attributes).map(([name, value]) => ({ name, value })),
    getAttribute: (name) => attributes[name] ?? null,
    append(...nodes) {
      for (const node of nodes) {
        element.childNodes.push(node);
        if (typeof node !== "string") {
          element.children.push(node);
          node.parentNode = element;
        }
      }
      return element;
    },
  };
  return element;
}
