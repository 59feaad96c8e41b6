import { parse, type Selector } from "css-what";
import { CairnError } from "../../../platform/errors/cairn-error.js";
import { anyCase, literal } from "../shared/regex-text.js";

/** The version of what compileSelector writes, stored with the regexes (see pageRuleCompilerVersion). */
export const selectorCompilerVersion = 1;

/** The longest selector accepted, in characters. */
export const maxSelectorLength = 1000;

/**
 * Classes one element of a selector may require. Classes are stored in the page's order, so `.a.b` must match
 * `.b.a` too: without lookahead that is one alternative per order (4 classes: 24), and the regex grows as n!.
 */
export const maxClassesPerElement = 4;

/** Elements (compound selectors) in one selector: more than enough for a chain of ancestors. */
const maxElements = 8;

const matchable =
  "Cairn matches features against the stored element path (the clicked element and its ancestors: tag, #id and classes), so a selector can use a tag, #id, .class, *, the descendant combinator (a space) and the child combinator (>), and lists (a, b).";

interface Element {
  /** False until a token names it: `div >` leaves an element with nothing in it. */
  named: boolean;
  tag: string | null;
  id: string | null;
  classes: string[];
}

type Combinator = "descendant" | "child";

function show(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

function refuse(selector: string, problem: string): CairnError {
  return new CairnError("bad_request", {
    message: `The selector ${show(selector)} ${problem}`,
    hint: matchable,
  });
}

function unmatchable(selector: string, what: string): CairnError {
  return new CairnError("bad_request", {
    message: `The selector ${show(selector)} uses ${what}, which cannot be matched from the stored element path. ${matchable}`,
    hint: "Tag the element by its tag, #id or classes instead (see docs/tagging.md).",
  });
}

function describe(token: Selector): string {
  switch (token.type) {
    case "attribute":
      return `an attribute selector ([${token.name}${token.action === "exists" ? "" : "…"}])`;
    case "pseudo":
      return `the pseudo-class :${token.name}`;
    case "pseudo-element":
      return `the pseudo-element ::${token.name}`;
    case "adjacent":
      return "the next-sibling combinator (+)";
    case "sibling":
      return "the subsequent-sibling combinator (~)";
    case "parent":
      return "the parent combinator (<)";
    case "column-combinator":
      return "the column combinator (||)";
    default:
      return `a ${token.type} selector`;
  }
}

/** One selector of a list as its elements (left to right) and the combinators between them. */
function elementsOf(
  selector: string,
  tokens: readonly Selector[],
): { elements: Element[]; combinators: Combinator[] } {
  const elements: Element[] = [{ named: false, tag: null, id: null, classes: [] }];
  const combinators: Combinator[] = [];
  for (const token of tokens) {
    const current = elements.at(-1) as Element;
    if (token.type !== "descendant" && token.type !== "child") current.named = true;
    switch (token.type) {
      case "tag":
      case "universal":
        if (token.namespace !== null) throw unmatchable(selector, `a namespace (${token.namespace}|…)`);
        if (token.type === "tag") current.tag = token.name;
        break;
      case "attribute":
        // css-what reads #id and .class as attributes "quirks" in case; written as [id=…] they are attribute selectors.
        if (token.ignoreCase === "quirks" && token.name === "id" && token.action === "equals") {
          if (current.id !== null && current.id !== token.value) {
            throw refuse(
              selector,
              `gives one element two ids (#${current.id}, #${token.value}); an element has one.`,
            );
          }
          current.id = token.value;
        } else if (token.ignoreCase === "quirks" && token.name === "class" && token.action === "element") {
          if (!current.classes.includes(token.value)) current.classes.push(token.value);
        } else {
          throw unmatchable(selector, describe(token));
        }
        break;
      case "descendant":
      case "child":
        combinators.push(token.type);
        elements.push({ named: false, tag: null, id: null, classes: [] });
        break;
      default:
        throw unmatchable(selector, describe(token));
    }
  }
  if (elements.some((element) => !element.named)) {
    throw refuse(selector, "has a combinator (a space or >) without an element on both sides.");
  }
  for (const element of elements) {
    for (const name of [element.tag, element.id, ...element.classes]) {
      // The stored path separates elements with spaces, so a name with whitespace can never be found in it.
      if (name !== null && /\s/.test(name))
        throw refuse(selector, `names ${show(name)}, with whitespace, which no stored element has.`);
    }
    if (element.classes.length > maxClassesPerElement) {
      throw refuse(
        selector,
        `requires ${element.classes.length} classes of one element; at most ${maxClassesPerElement} can be matched (keep the most telling ones).`,
      );
    }
  }
  if (elements.length > maxElements)
    throw refuse(selector, `has ${elements.length} elements; at most ${maxElements}.`);
  return { elements, combinators };
}

function orders(classes: readonly string[]): string[][] {
  if (classes.length <= 1) return [[...classes]];
  return classes.flatMap((first, i) =>
    orders(classes.filter((_, j) => j !== i)).map((rest) => [first, ...rest]),
  );
}

/** Optional further classes (or an id's dotted tail): a `.` and anything up to the end of the element. */
const more = "(?:\\.[^ ]*)?";

/**
 * One element of the stored path (`BUTTON#save.btn.primary`: tag, `#id`, `.class`es, no spaces). The tag in any
 * case; each name followed by `.` or the element's end, so `.btn` is not `.btn-primary`; classes in any order.
 */
function elementPattern(element: Element): string {
  const tag = element.tag === null ? "[^ #.]*" : anyCase(element.tag);
  const id = element.id === null ? "(?:#[^ .]*)?" : `#${literal(element.id)}`;
  const tails = orders(element.classes).map(
    (order) => more + order.map((name) => `\\.${literal(name)}${more}`).join(""),
  );
  return tag + id + (tails.length === 1 ? (tails[0] ?? "") : `(?:${tails.join("|")})`);
}

/** Any number of whole elements of the path, each followed by the separator. */
const anyElements = "(?:[^ ]* < )*";

/**
 * Compiles a CSS selector (or a list `a, b`) into regexes over `events.element_path`, which lists the clicked
 * element first and then its ancestors, separated by ` < ` (`SPAN.label < BUTTON#save.btn < FORM < BODY`).
 * The selector matches when the clicked element or one of its ancestors matches it, as in Pendo (a click on
 * a button's icon is a click on the button). One inner list per selector of the list; each holds one regex,
 * anchored, in the RE2/JavaScript subset. Tags match in any case; ids and classes are case-sensitive.
 * What the stored path cannot show (attributes, pseudo-classes, siblings) is refused with a 400 that says so.
 */
export function compileSelector(input: string): string[][] {
  const selector = input.trim();
  if (selector === "") throw refuse(input, `is empty. ${matchable}`);
  if (selector.length > maxSelectorLength) {
    throw refuse(selector, `has ${selector.length} characters; a selector has at most ${maxSelectorLength}.`);
  }
  let parsed: Selector[][];
  try {
    parsed = parse(selector);
  } catch (error) {
    throw refuse(
      selector,
      `is not a CSS selector (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  return parsed.map((tokens) => {
    const { elements, combinators } = elementsOf(selector, tokens);
    // The path runs from the clicked element up, so the selector is written right to left.
    let regex = `^${anyElements}${elementPattern(elements.at(-1) as Element)}`;
    for (let i = elements.length - 2; i >= 0; i--) {
      regex += combinators[i] === "child" ? " < " : ` < ${anyElements}`;
      regex += elementPattern(elements[i] as Element);
    }
    return [`${regex}(?: < .*)?$`];
  });
}
