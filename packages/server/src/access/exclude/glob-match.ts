/** Finds `segment` in `value` at or after `from` (`String.prototype.indexOf`; a test counts the calls). */
export type FindSegment = (value: string, segment: string, from: number) => number;

const indexOf: FindSegment = (value, segment, from) => value.indexOf(segment, from);

/**
 * A pattern in which `*` stands for any run of characters (none included) and everything else is literal,
 * matched against the whole value, case-sensitively, in linear time: the first segment must start the value,
 * the last must end it, and the ones between are found left to right, each search starting where the last
 * match ended. The leftmost place for each middle segment is always safe to take (it leaves the most room
 * for the rest), so nothing is ever searched twice: at most one `indexOf` per segment over disjoint ranges,
 * O(length × pattern length) at worst. A backtracking regular expression (`[\s\S]*` for each `*`) took
 * quadratic time or worse on values an agent can send.
 */
export function compileGlob(pattern: string, find: FindSegment = indexOf): (value: string) => boolean {
  const segments = pattern.split("*");
  const first = segments[0] ?? "";
  if (segments.length === 1) return (value) => value === first;
  const last = segments[segments.length - 1] ?? "";
  const middle = segments.slice(1, -1).filter((segment) => segment.length > 0);
  const shortest = middle.reduce((sum, segment) => sum + segment.length, first.length + last.length);
  return (value) => {
    if (value.length < shortest || !value.startsWith(first) || !value.endsWith(last)) return false;
    const end = value.length - last.length;
    let at = first.length;
    for (const segment of middle) {
      const found = find(value, segment, at);
      if (found === -1 || found + segment.length > end) return false;
      at = found + segment.length;
    }
    return true;
  };
}
