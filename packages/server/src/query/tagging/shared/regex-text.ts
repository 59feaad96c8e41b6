// Pieces of regular expressions in the subset that RE2 (DuckDB's regexp_matches, ClickHouse's match) and
// JavaScript's RegExp read alike: no lookaround, no backreferences, no flags, no \d or \w shorthands, so a
// pattern compiled here means the same in every engine that runs it.

const special = /[\\^$.|?*+()[\]{}]/g;

/** `text` as a regex that matches exactly it. */
export function literal(text: string): string {
  return text.replace(special, "\\$&");
}

/** `text` as a regex that matches it in any letter case ([Bb][Uu]…), since the dialects share no flag for it. */
export function anyCase(text: string): string {
  let out = "";
  for (const char of text) {
    const lower = char.toLowerCase();
    const upper = char.toUpperCase();
    // Only letters whose two cases are single characters; anything else (ß, digits) stays literal.
    out += lower !== upper && lower.length === 1 && upper.length === 1 ? `[${upper}${lower}]` : literal(char);
  }
  return out;
}

/**
 * Whether a regex written here stays inside the shared subset (what the tests hold every output to). Read escape
 * by escape, so an escaped backslash followed by `s` (a literal `\` then `s`) is not taken for `\s`.
 */
export function inSharedSubset(regex: string): boolean {
  for (let i = 0; i < regex.length; i++) {
    const char = regex[i];
    const next = regex[i + 1] ?? "";
    if (char === "\\") {
      if (/[1-9dDwWsSbB]/.test(next)) return false;
      i++;
    } else if (char === "(" && next === "?" && /[=!<a-zA-Z]/.test(regex[i + 2] ?? "")) {
      // Lookaround, named groups and inline flags; `(?:` is shared.
      return false;
    }
  }
  return true;
}
