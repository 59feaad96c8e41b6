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

/** Whether a regex written here stays inside the shared subset (what the tests hold every output to). */
export function inSharedSubset(regex: string): boolean {
  return !/\(\?[=!<]|\\[1-9dDwWsSbB]|\(\?[a-z]/.test(regex);
}
