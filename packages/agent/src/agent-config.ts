/**
 * The per-app settings Cairn bakes into the served `pendo.js` (in place of `__CAIRN_AGENT_CONFIG__`),
 * like the object Pendo's CDN wraps its agent with (pendo-api.md §1.4). `serve.d.ts` repeats this
 * shape for the server; `config-contract.ts` fails the type-check if the two drift apart.
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
