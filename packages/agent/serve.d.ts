/**
 * The settings baked into the served agent. Same shape as `src/agent-config.ts` (the type-check of
 * `src/config-contract.ts` keeps them equal); repeated here so the server needs no agent sources.
 */
export interface AgentConfig {
  /** The app key: the `<apiKey>` of every `/data/<beacon>/<apiKey>` URL and of the storage keys. */
  apiKey: string;
  /** Absolute base URL of the Cairn server, no trailing slash, e.g. `http://127.0.0.1:8080`. */
  dataHost: string;
  /** The agent version, sent as `v=` on every beacon. */
  version: string;
  /** No element text in click/focus/submit/change events unless listed in `allowedText`. */
  excludeAllText: boolean;
  /** Store nothing in the browser: a new anonymous visitor on every page load. */
  disablePersistence?: boolean;
  /** Element texts that may be sent even when `excludeAllText` is on (exact match after trimming). */
  allowedText?: string[];
  /** How often queued events are sent when nothing else flushes them; 10 000 ms by default. */
  flushIntervalMs?: number;
  /** The app offers the in-app "Give feedback" panel to identified visitors (loaded on first open). */
  feedbackWidget?: boolean;
  /** The app requires a signed visitor identity on events: beacons carry the page's token as `&jwt=`. */
  signedEvents?: boolean;
}

/** Absolute path of the minified agent bundle, `dist/pendo.js`. */
export declare const agentBundlePath: string;

/** Absolute path of the feedback panel's bundle, `dist/feedback-panel.js`, which the agent loads on first open. */
export declare const feedbackPanelBundlePath: string;

/** Absolute path of the guides' bundle, `dist/guides.js`, which the agent loads once guide.json answers a guide. */
export declare const guidesBundlePath: string;

/**
 * The bundle with `config` in place of `__CAIRN_AGENT_CONFIG__`, escaped so no value can break out of
 * the script. Throws if the bundle does not contain the placeholder exactly once.
 */
export declare function renderAgent(bundleText: string, config: AgentConfig): string;
