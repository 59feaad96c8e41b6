/** One analytics event as the collector receives it (agent-wire.md §5). */
export interface AgentEvent {
  type: string;
  browser_time: number;
  visitor_id: string;
  account_id: string | null;
  url: string;
  props: object;
  parentTabId: null;
  tabId: string;
  frameId: string;
  sessionId: string;
  track_event_name?: string;
  sequence: number;
  bytes?: number;
}

/** Adds `bytes`: the event's JSON length before `bytes` itself was added, as Pendo counts it. */
export function withBytes(event: AgentEvent): AgentEvent {
  event.bytes = JSON.stringify(event).length;
  return event;
}

/** `pendo.track(name, props)`: a non-object `props` is wrapped as `{__err__: value}`. */
export function trackProps(props: unknown): object {
  if (props === undefined || props === null) return {};
  return typeof props === "object" && !Array.isArray(props) ? props : { __err__: props };
}
