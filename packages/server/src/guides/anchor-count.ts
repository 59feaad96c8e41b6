import type { AnyNode, Element } from "domhandler";

// The HTML parser and selector engine load on the first anchor count, not at start (scripts/bundle-cli.mjs
// leaves them out of the bundle).
const parsing = () => Promise.all([import("css-select"), import("htmlparser2")]);

export const anchorSampleSize = 5;

/** Whether css-select compiles the selector; the parser's message when it does not. */
export async function selectorProblem(selector: string): Promise<string | null> {
  const [{ compile }] = await parsing();
  try {
    compile(selector);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function textOf(node: Element): string {
  let text = "";
  const walk = (n: Element["children"][number]) => {
    if (text.length > 80) return;
    if (n.type === "text") text += (n as unknown as { data: string }).data;
    else if ("children" in n && n.type === "tag") for (const child of n.children) walk(child);
  };
  for (const child of node.children) walk(child);
  return text.replace(/\s+/g, " ").trim();
}

/** A short line for an element: `button#save.primary.big "Save changes"`. */
export function describeElement(element: Element): string {
  const id = element.attribs.id ? `#${element.attribs.id}` : "";
  const classes = (element.attribs.class ?? "")
    .split(/\s+/)
    .filter((c) => c !== "")
    .slice(0, 3)
    .map((c) => `.${c}`)
    .join("");
  const text = textOf(element);
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  const head = `${element.name}${id}${classes}`.slice(0, 120);
  return shown === "" ? head : `${head} "${shown}"`;
}

/** How many elements of the page match the selector, and a few of them described. */
export async function countAnchors(
  html: string,
  selector: string,
): Promise<{ count: number; sample: string[] }> {
  const [{ selectAll }, { parseDocument }] = await parsing();
  const matches = selectAll<AnyNode, Element>(selector, parseDocument(html));
  return { count: matches.length, sample: matches.slice(0, anchorSampleSize).map(describeElement) };
}
