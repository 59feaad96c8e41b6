import type { ReactNode } from "react";

/**
 * A box that scrolls sideways when its content is wider than the screen (a table on a phone, a snippet): named
 * and focusable, so a keyboard can scroll it too.
 */
export function ScrollRegion(props: { label: string; className?: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to be scrolled by keyboard
    <section className={props.className ?? "table-wrap"} aria-label={props.label} tabIndex={0}>
      {props.children}
    </section>
  );
}
