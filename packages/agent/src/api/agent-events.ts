type Listener = (...args: never[]) => unknown;
type Register = (callback?: Listener) => AgentEvents;

/** The named registrations of Pendo's `pendo.events`; only `ready` fires in the core agent. */
const namedEvents = [
  "ready",
  "guidesLoaded",
  "guidesFailed",
  "validateGlobalScript",
  "validateGuide",
  "validateLauncher",
  "deliverablesLoaded",
  "onClickCaptured",
] as const;

/**
 * `pendo.events`: `pendo.events.ready(cb).guidesLoaded(cb)` registers listeners and chains, and
 * `on/off/once/trigger` work on any event name.
 *
 * @example pendo.events.ready(() => console.log(pendo.getVisitorId()));
 */
export type AgentEvents = { [Name in (typeof namedEvents)[number]]: Register } & {
  on(name: string, callback: Listener): void;
  off(name: string, callback?: Listener): void;
  once(name: string, callback: Listener): void;
  one(name: string, callback: Listener): void;
  addEventListener(name: string, callback: Listener): void;
  removeEventListener(name: string, callback?: Listener): void;
  trigger(name: string, ...args: unknown[]): void;
};

export function createAgentEvents(isReady: () => boolean): AgentEvents {
  const listeners = new Map<string, Listener[]>();
  const on = (name: string, callback: Listener): void => {
    listeners.set(name, [...(listeners.get(name) ?? []), callback]);
  };
  const off = (name: string, callback?: Listener): void => {
    listeners.set(
      name,
      callback ? (listeners.get(name) ?? []).filter((listener) => listener !== callback) : [],
    );
  };
  const once = (name: string, callback: Listener): void => {
    const wrapper = (...args: never[]): void => {
      off(name, wrapper);
      callback(...args);
    };
    on(name, wrapper);
  };
  const events = {
    on,
    off,
    once,
    one: once,
    addEventListener: on,
    removeEventListener: off,
    trigger(name: string, ...args: unknown[]) {
      for (const listener of listeners.get(name) ?? []) {
        try {
          (listener as (...values: unknown[]) => unknown)(...args);
        } catch {
          // An app's listener throwing must not stop the agent or the other listeners.
        }
      }
    },
  } as AgentEvents;
  for (const name of namedEvents) {
    events[name] = (callback) => {
      if (typeof callback !== "function") return events;
      // A ready listener added after the agent is ready runs at once, so apps need not know the order.
      if (name !== "ready" || !isReady()) on(name, callback);
      else {
        try {
          callback();
        } catch {
          // As in trigger: the app's callback failing is not the agent's failure.
        }
      }
      return events;
    };
  }
  return events;
}
