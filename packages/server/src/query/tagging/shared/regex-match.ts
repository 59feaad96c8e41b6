// Matching compiled definitions in JavaScript, as the engines do in SQL: for tests, the CLI and small callers.

const compiled = new Map<string, RegExp>();

function regexOf(source: string): RegExp {
  let regex = compiled.get(source);
  if (!regex) {
    regex = new RegExp(source);
    // A bound on memory for long-running processes; rules are few, so this rarely drops anything.
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(source, regex);
  }
  return regex;
}

/** Whether every regex of the list matches `text` (an empty list matches nothing). */
export function matchesAll(regexes: readonly string[], text: string): boolean {
  return regexes.length > 0 && regexes.every((source) => regexOf(source).test(text));
}

/** Whether any list of the alternatives matches in full. */
export function matchesAny(alternatives: readonly (readonly string[])[], text: string): boolean {
  return alternatives.some((regexes) => matchesAll(regexes, text));
}
