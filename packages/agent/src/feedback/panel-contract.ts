/**
 * What the core agent hands the lazily loaded feedback panel (`dist/feedback-panel.js`), and what the panel
 * hands back. Types only: the two bundles share no code at run time.
 */

/** The identified visitor as the Feedback collector routes take it (the Feedback API's `user` shape). */
export interface PanelUser {
  id: string;
  email?: string;
  name?: string;
  account?: { id: string; name?: string };
}

export interface PanelHost {
  /** `<dataHost>/data/feedback/<apiKey>`: the panel's `/ideas` and `/votes` live under it. */
  readonly endpoint: string;
  /** The visitor of the page now, or null while it is anonymous (the panel then asks to sign in). */
  readonly user: () => PanelUser | null;
  /** The page's identity token for the visitor, sent in the `x-cairn-identity` header; null without one. */
  readonly token: () => string | null;
  /** Where the panel draws itself: a shadow root, so the page's styles neither reach in nor leak out. */
  readonly root: ShadowRoot;
}

export interface Panel {
  open(): void;
  close(): void;
  isOpen(): boolean;
}

export type MountPanel = (host: PanelHost) => Panel;

/** The panel bundle calls `window.pendo.feedback[panelLoadedHook](mountPanel)` when it runs. */
export const panelLoadedHook = "_panelLoaded";
