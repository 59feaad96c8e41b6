import type { Guide } from "../guide-loader/guide-contract.js";
import { launches } from "./eligibility.js";
import { layerFor, viewportRect, waitForTarget } from "./find-target.js";
import { followTarget } from "./follow-target.js";
import { guideHost } from "./step-view.js";

/** The element a badge sits by or a click on which opens a `dom` guide. */
export function activationSelector(guide: Guide): string {
  return guide.attributes?.activation?.selector || guide.steps[0]?.elementPathRule || "";
}

/**
 * Badges (`badge`: a small button by the guide's anchor that opens it) and target-element launches (`dom`: a
 * click on `attributes.activation.selector`). Returns the function that removes them.
 */
export function mountLaunchers(
  win: Window,
  guides: Guide[],
  open: (guide: Guide, reason: "badge" | "dom") => void,
): () => void {
  const doc = win.document;
  const cleanups: Array<() => void> = [];
  for (const guide of guides) {
    const selector = activationSelector(guide);
    if (!selector || !launches(guide, "badge")) continue;
    cleanups.push(
      waitForTarget(win, selector, (anchor) => {
        if (!anchor) return;
        const { host, root } = guideHost(doc, layerFor(anchor, doc), "badge");
        const badge = doc.createElement("button");
        badge.type = "button";
        badge.className = "badge";
        badge.textContent = "?";
        badge.setAttribute("aria-label", guide.name);
        badge.addEventListener("click", () => open(guide, "badge"));
        root.append(badge);
        const stop = followTarget(win, anchor, badge, function placeBadge() {
          const r = viewportRect(anchor);
          badge.style.top = `${Math.round(r.top - 10)}px`;
          badge.style.left = `${Math.round(r.left + r.width - 12)}px`;
          badge.style.display = anchor.isConnected ? "" : "none";
        });
        cleanups.push(() => {
          stop();
          host.remove();
        });
      }),
    );
  }
  const domGuides = guides.filter((g) => launches(g, "dom") && g.attributes?.activation?.selector);
  if (domGuides.length > 0) {
    const onClick = (event: Event): void => {
      const path = event.composedPath();
      for (const guide of domGuides) {
        const selector = guide.attributes?.activation?.selector ?? "";
        const hit = path.some((node) => {
          try {
            return (node as Element).nodeType === 1 && (node as Element).matches(selector);
          } catch {
            return false;
          }
        });
        if (hit) {
          open(guide, "dom");
          return;
        }
      }
    };
    doc.addEventListener("click", onClick, true);
    cleanups.push(() => doc.removeEventListener("click", onClick, true));
  }
  return function removeLaunchers() {
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
}
