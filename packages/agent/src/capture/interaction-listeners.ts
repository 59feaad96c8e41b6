/** The DOM events the agent reports (agent-wire.md §5.4). */
export const interactionTypes = ["click", "focus", "submit", "change"] as const;
export type InteractionType = (typeof interactionTypes)[number];

/** Pendo sends at most one `change` per element every 5 seconds. */
const changeIntervalMs = 5000;

/**
 * Listens on `document` in the capture phase (so `focus`, which does not bubble, and events whose
 * propagation the app stops are still seen). The target is the innermost element, inside open shadow
 * roots too. Returns the function that removes the listeners.
 */
export function listenForInteractions(
  doc: Document,
  now: () => number,
  onInteraction: (type: InteractionType, target: Element, event: Event) => void,
): () => void {
  const lastChange = new WeakMap<Element, number>();
  const handle = (event: Event): void => {
    const target = (event.composedPath ? event.composedPath()[0] : undefined) ?? event.target;
    if (!target || (target as Node).nodeType !== 1) return;
    const element = target as Element;
    const type = event.type as InteractionType;
    if (type === "change") {
      const last = lastChange.get(element);
      if (last !== undefined && now() - last < changeIntervalMs) return;
      lastChange.set(element, now());
    }
    onInteraction(type, element, event);
  };
  for (const type of interactionTypes) doc.addEventListener(type, handle, true);
  return function stopListening() {
    for (const type of interactionTypes) doc.removeEventListener(type, handle, true);
  };
}
