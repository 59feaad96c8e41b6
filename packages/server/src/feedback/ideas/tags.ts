import { CairnError } from "../../platform/errors/cairn-error.js";
import { feedbackLimits } from "./feedback-limits.js";

/** A categorised tag, as Pendo Feedback writes it: `{"Color": "Red"}`, or several values `{"Team": ["a", "b"]}`. */
export type CategorisedTag = { readonly [category: string]: string | readonly string[] };

/** A tag as Pendo Feedback's `…/tags` routes take and answer it: a plain string or a categorised map. */
export type Tag = string | CategorisedTag;

export interface CleanTags {
  /** The tags as given: trimmed, repeats dropped, in their order and shape. */
  readonly given: Tag[];
  /** Every tag as one string, a categorised one written `Category:Value` (as the `tags=` filter names it). */
  readonly flat: string[];
}

function badTag(message: string): CairnError {
  return new CairnError("bad_request", { message });
}

function cleanText(text: string, what: string): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw badTag(`A ${what} cannot be empty or only spaces.`);
  return trimmed;
}

function cleanCategorised(tag: CategorisedTag): CategorisedTag {
  const entries = Object.entries(tag);
  const [entry] = entries;
  if (!entry || entries.length !== 1) {
    throw badTag('A categorised tag is a map with one category: {"Color": "Red"}.');
  }
  const category = cleanText(entry[0], "tag category");
  const value = entry[1];
  if (typeof value === "string") return { [category]: cleanText(value, "tag") };
  const values = [...new Set(value.map((item) => cleanText(item, "tag")))];
  if (values.length === 0) throw badTag(`The tag category ${category} needs at least one value.`);
  return { [category]: values };
}

function flatten(tag: Tag): string[] {
  if (typeof tag === "string") return [tag];
  return Object.entries(tag).flatMap(([category, value]) =>
    (typeof value === "string" ? [value] : value).map((item) => `${category}:${item}`),
  );
}

/**
 * Checks and tidies a list of tags. Bounds apply to the tags written out, so a list means the same to the
 * Feedback API (which answers strings) as to the classic paths: at most 50, each 1–100 characters.
 */
export function cleanTags(tags: readonly Tag[]): CleanTags {
  const given: Tag[] = [];
  const seen = new Set<string>();
  const flat: string[] = [];
  for (const tag of tags) {
    const clean = typeof tag === "string" ? cleanText(tag, "tag") : cleanCategorised(tag);
    const key = JSON.stringify(clean);
    if (seen.has(key)) continue;
    seen.add(key);
    given.push(clean);
    for (const written of flatten(clean)) if (!flat.includes(written)) flat.push(written);
  }
  if (flat.length > feedbackLimits.tags) {
    throw badTag(`At most ${feedbackLimits.tags} tags, counting each category's values; got ${flat.length}.`);
  }
  const long = flat.find((written) => written.length > feedbackLimits.tagLength);
  if (long !== undefined) {
    throw badTag(
      `A tag, written Category:Value, is at most ${feedbackLimits.tagLength} characters: ${long}.`,
    );
  }
  return { given, flat };
}
