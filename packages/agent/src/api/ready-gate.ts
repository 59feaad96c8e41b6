/** A call made before the agent was ready, kept to run once it is. */
type PendingCall = () => void;

/** Whether the agent has started, and the calls made before it did (Pendo's `_q` semantics). */
export interface ReadyGate {
  isReady(): boolean;
  /** `action` wrapped so that, before the agent is ready, calling it queues the call instead. */
  whenReady<A extends unknown[]>(action: (...args: A) => void): (...args: A) => void;
  open(): void;
  /** Runs the queued calls, in the order they were made; call it once `open` has made the agent ready. */
  replay(): void;
  /** Not ready any more; calls still queued are dropped. */
  close(): void;
}

export function createReadyGate(): ReadyGate {
  let ready = false;
  let pendingCalls: PendingCall[] = [];
  return {
    isReady: () => ready,
    whenReady:
      <A extends unknown[]>(action: (...args: A) => void) =>
      (...args: A): void => {
        if (ready) action(...args);
        else pendingCalls.push(() => action(...args));
      },
    open() {
      ready = true;
    },
    replay() {
      const calls = pendingCalls;
      pendingCalls = [];
      for (const call of calls) call();
    },
    close() {
      ready = false;
      pendingCalls = [];
    },
  };
}
