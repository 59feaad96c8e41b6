import { CairnError } from "../../../platform/errors/cairn-error.js";
import { taggingLimits } from "./tagging-limits.js";

/** A name trimmed and within its bound, or a 400 that says what is wrong. */
export function checkedName(
  what: string,
  name: string,
  maxLength: number = taggingLimits.nameLength,
): string {
  const trimmed = name.trim();
  if (trimmed === "") throw new CairnError("bad_request", { message: `A ${what} needs a name.` });
  if (trimmed.length > maxLength) {
    throw new CairnError("bad_request", {
      message: `A ${what}'s name has at most ${maxLength} characters; this one has ${trimmed.length}.`,
    });
  }
  return trimmed;
}

/** A list of at most `max` entries of at most `maxLength` characters each. */
export function checkedList(what: string, list: readonly string[], max: number, maxLength: number): string[] {
  if (list.length > max) {
    throw new CairnError("bad_request", { message: `${what} has ${list.length} entries; at most ${max}.` });
  }
  for (const entry of list) {
    if (entry.length > maxLength) {
      throw new CairnError("bad_request", {
        message: `An entry of ${what} has ${entry.length} characters; at most ${maxLength}.`,
      });
    }
  }
  return [...list];
}

/** Whether a store error is a unique constraint refusing a second equal row (two writers at once). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /unique/i.test(error.message);
}
