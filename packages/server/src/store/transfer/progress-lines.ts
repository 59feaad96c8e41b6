/** Numbers as people read them: 1,200,000. */
export const counted = (n: number): string => n.toLocaleString("en-US");

/**
 * Progress on stderr (`exporting events: 1,200,000 of 10,000,000`), at most once a second and once at the
 * end, so a long run shows it is moving without flooding a log.
 */
export function progressLine(label: string, total: number, write: (line: string) => void) {
  let last = 0;
  let shown = -1;
  return {
    at(done: number, force = false): void {
      const now = Date.now();
      if (done === shown || (!force && now - last < 1_000 && done < total)) return;
      last = now;
      shown = done;
      write(`${label}: ${counted(done)} of ${counted(total)}`);
    },
  };
}
