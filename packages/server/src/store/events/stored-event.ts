/**
 * One analytics event as the event store keeps it: one flat row per event, with the columns that
 * per-visitor / account / app / day / page rollups group by, and the raw material (URL, element path,
 * properties) that page and feature rules match retroactively.
 */
export interface StoredEvent {
  /** Server-assigned UUID. */
  readonly eventId: string;
  readonly subscriptionId: string;
  readonly appId: string;
  /** `load`, `click`, `focus`, `submit`, `change`, `identify`, `meta`, `track`, `agentic`, guide and poll types. */
  readonly type: string;
  readonly visitorId: string;
  readonly accountId: string | null;
  /** When it happened in the browser (ms since epoch, the agent's `browser_time`). */
  readonly occurredAt: number;
  /** When the server acknowledged it (ms since epoch). */
  readonly receivedAt: number;
  readonly url: string | null;
  readonly title: string | null;
  /** The clicked element and its ancestors, for feature rules. */
  readonly elementPath: string | null;
  /** A track event's name; an `agentic` event's own type (`prompt`, `agent_response`, `user_reaction`…). */
  readonly trackName: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly isBot: boolean;
  /** Matched the Exclude List when it arrived; reads filter on it (`blacklist=apply`). */
  readonly excluded: boolean;
  /**
   * The app requires a signed visitor identity on events, and this identified visitor's event came without a
   * valid token for them (stored because the app says `flag`): anyone with the app key could have sent it.
   */
  readonly unsignedIdentity?: boolean;
  /** Identifies the request batch it came in, so a re-sent batch (`rt=`) is recognised. */
  readonly batchKey: string | null;
  /** Everything else the event carried, as JSON text. */
  readonly properties: string;
}

export interface EventFilter {
  readonly subscriptionId: string;
  readonly appId?: string;
  readonly limit?: number;
}
