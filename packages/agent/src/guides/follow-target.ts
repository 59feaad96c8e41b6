/**
 * Calls `place` now and whenever the target may have moved: scrolling (in the page or the target's frame, in
 * any scrolled container, hence capture), resizing, and size changes of the target or of `box`. Returns the
 * function that stops following.
 */
export function followTarget(win: Window, target: Element, box: Element, place: () => void): () => void {
  let frame = 0;
  const schedule = (): void => {
    if (!frame)
      frame = win.requestAnimationFrame(() => {
        frame = 0;
        place();
      });
  };
  const views = [win];
  const own = target.ownerDocument.defaultView;
  if (own && own !== win) views.push(own);
  for (const view of views) {
    view.addEventListener("scroll", schedule, { capture: true, passive: true });
    view.addEventListener("resize", schedule);
  }
  const ResizeObserverOf = (win as Window & { ResizeObserver?: typeof ResizeObserver }).ResizeObserver;
  const observer = ResizeObserverOf ? new ResizeObserverOf(schedule) : null;
  observer?.observe(target);
  observer?.observe(box);
  place();
  return function stopFollowing() {
    if (frame) win.cancelAnimationFrame(frame);
    for (const view of views) {
      view.removeEventListener("scroll", schedule, { capture: true });
      view.removeEventListener("resize", schedule);
    }
    observer?.disconnect();
  };
}
