import { type MountPanel, type Panel, type PanelUser, panelLoadedHook } from "./panel-contract.js";

/** `pendo.feedback`: Pendo's `loginAndRedirect`, plus `open` and `close` for apps with their own button. */
export interface FeedbackApi {
  open(): void;
  close(): void;
  /** Pendo sends the visitor to its Feedback portal; Cairn's portal is the in-app panel, so it opens that. */
  loginAndRedirect(): void;
  [panelLoadedHook](mount: MountPanel): void;
}

export interface FeedbackLauncherDeps {
  readonly doc: Document;
  /** True when the app offers the panel and the page did not switch it off. */
  readonly enabled: () => boolean;
  /** The panel bundle's URL, `<dataHost>/agent/static/<apiKey>/feedback-panel.js`. */
  readonly scriptUrl: () => string;
  readonly endpoint: () => string;
  readonly user: () => PanelUser | null;
  readonly token: () => string | null;
}

export interface FeedbackLauncher {
  readonly api: FeedbackApi;
  /** Shows the "Feedback" button while the panel is enabled and the visitor identified; hides it otherwise. */
  update(): void;
  remove(): void;
}

const launcherStyle =
  ".l{position:fixed;right:16px;bottom:16px;z-index:2147483000;font:600 14px/1 system-ui,sans-serif;" +
  "padding:10px 14px;border:0;border-radius:20px;background:#2d3e50;color:#fff;cursor:pointer;" +
  "box-shadow:0 2px 8px rgba(0,0,0,.25)}.l[hidden]{display:none}";

/**
 * The core agent's share of the feedback panel: a small button in a shadow root, and the loader that fetches
 * the panel's own bundle the first time it is opened, so pages that never open it never download it.
 */
export function createFeedbackLauncher(deps: FeedbackLauncherDeps): FeedbackLauncher {
  const { doc } = deps;
  let host: HTMLElement | null = null;
  let root: ShadowRoot | null = null;
  let button: HTMLButtonElement | null = null;
  let panel: Panel | null = null;
  let loading = false;
  let openWhenLoaded = false;

  function ensureRoot(): ShadowRoot | null {
    if (root) return root;
    if (!doc.body) return null;
    host = doc.createElement("div");
    host.setAttribute("data-cairn-feedback", "");
    // The panel is Cairn's own UI, not the app's: its clicks are not the app's analytics.
    host.className = "pendo-ignore";
    root = host.attachShadow({ mode: "open" });
    const style = doc.createElement("style");
    style.textContent = launcherStyle;
    button = doc.createElement("button");
    button.className = "l";
    button.type = "button";
    button.textContent = "Feedback";
    button.setAttribute("aria-haspopup", "dialog");
    button.addEventListener("click", () => api.open());
    root.append(style, button);
    doc.body.appendChild(host);
    return root;
  }

  function available(): boolean {
    return deps.enabled() && deps.user() !== null;
  }

  const api: FeedbackApi = {
    open() {
      if (!available()) return;
      const shadow = ensureRoot();
      if (!shadow) return;
      if (panel) {
        panel.open();
        return;
      }
      openWhenLoaded = true;
      if (loading) return;
      loading = true;
      const script = doc.createElement("script");
      script.async = true;
      script.src = deps.scriptUrl();
      script.onerror = () => {
        // Unreachable server or blocked script: a later click tries again.
        loading = false;
        script.remove();
      };
      (doc.head || doc.body).appendChild(script);
    },
    close() {
      openWhenLoaded = false;
      panel?.close();
    },
    loginAndRedirect() {
      api.open();
    },
    [panelLoadedHook](mount) {
      if (panel || !root) return;
      panel = mount({ endpoint: deps.endpoint(), user: deps.user, token: deps.token, root });
      loading = false;
      if (openWhenLoaded && available()) panel.open();
    },
  };

  return {
    api,
    update() {
      const show = available();
      if (show) ensureRoot();
      if (button) button.hidden = !show;
      if (!show) api.close();
    },
    remove() {
      api.close();
      host?.remove();
      host = root = button = panel = null;
      loading = openWhenLoaded = false;
    },
  };
}
