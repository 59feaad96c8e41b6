import type { AgentConfig } from "../agent-config.js";

/** The initialize options Cairn's agent reads (a subset of `pendo.InitOptions`). */
export interface InitializeOptions {
  apiKey?: string;
  visitor?: Metadata;
  account?: Metadata;
  parentAccount?: Metadata;
  dataHost?: string;
  excludeAllText?: boolean;
  allowedText?: string[];
  disablePersistence?: boolean;
  sanitizeUrl?: (url: string) => string;
  htmlAttributes?: RegExp;
  analytics?: { excludeEvents?: string[] };
  initializeImmediately?: boolean;
  /**
   * A token the page's back end signed for this visitor with the app's identity secret (JWT HS256); sent with
   * the feedback panel's requests, and with beacons when the app requires it. Renew with `updateOptions`.
   */
  identityToken?: string;
  /** Pendo's switch: no feedback panel on this page even when the app offers it. */
  disableFeedback?: boolean;
  events?: { ready?: () => void };
  /** Legacy top-level ids, still accepted by Pendo's agent. */
  visitorId?: string;
  accountId?: string;
}

export type Metadata = { [key: string]: unknown; id?: unknown };

export interface EffectiveOptions {
  readonly apiKey: string;
  readonly dataHost: string;
  readonly version: string;
  readonly excludeAllText: boolean;
  readonly allowedText: readonly string[];
  readonly disablePersistence: boolean;
  readonly sanitizeUrl: (url: string) => string;
  readonly htmlAttributes: RegExp;
  readonly excludeEvents: readonly string[];
  readonly flushIntervalMs: number;
}

const identity = (url: string): string => url;

/**
 * Served config and initialize options merged with Pendo's priorities (agent-wire.md §3.1): the
 * snippet wins, except that `excludeAllText` can only be switched on by either source.
 */
export function effectiveOptions(config: AgentConfig, options: InitializeOptions): EffectiveOptions {
  const dataHost = options.dataHost || config.dataHost;
  return {
    apiKey: options.apiKey || config.apiKey,
    // Pendo adds https:// to a bare host name; a trailing slash would double the one of `/data/`.
    dataHost: (/^https?:\/\//.test(dataHost) ? dataHost : `https://${dataHost}`).replace(/\/+$/, ""),
    version: config.version,
    excludeAllText: config.excludeAllText !== false || options.excludeAllText === true,
    allowedText: options.allowedText ?? config.allowedText ?? [],
    disablePersistence: options.disablePersistence ?? config.disablePersistence ?? false,
    sanitizeUrl: typeof options.sanitizeUrl === "function" ? options.sanitizeUrl : identity,
    htmlAttributes: options.htmlAttributes instanceof RegExp ? options.htmlAttributes : /^(tabindex)$/i,
    excludeEvents: options.analytics?.excludeEvents ?? [],
    flushIntervalMs: config.flushIntervalMs && config.flushIntervalMs > 0 ? config.flushIntervalMs : 10000,
  };
}
