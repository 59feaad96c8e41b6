import { CairnError } from "../platform/errors/cairn-error.js";

/** Callers waiting to read their own write: each waits for its log sequence to be loaded into both stores. */
export interface LoadWaiters {
  /** Resolves once `sequence` is loaded; at once when it already is. */
  wait(sequence: number): Promise<void>;
  /** Everything up to `through` is loaded. */
  settle(through: number): void;
  /** The record at `sequence` was set aside instead of loaded. */
  refuse(sequence: number, error: Error): void;
  /** The writer stops: the records stay in the log for the next start, the callers are told. */
  stopAll(): void;
}

export function createLoadWaiters(): LoadWaiters {
  const waiters = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let loadedThrough = 0;
  return {
    wait(sequence) {
      if (sequence <= loadedThrough) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waiters.set(sequence, { resolve, reject });
      });
    },
    settle(through) {
      loadedThrough = Math.max(loadedThrough, through);
      for (const [sequence, waiter] of waiters) {
        if (sequence > loadedThrough) continue;
        waiters.delete(sequence);
        waiter.resolve();
      }
    },
    refuse(sequence, error) {
      const waiter = waiters.get(sequence);
      waiters.delete(sequence);
      waiter?.reject(error);
    },
    stopAll() {
      for (const waiter of waiters.values()) waiter.reject(new CairnError("shutting_down"));
      waiters.clear();
    },
  };
}
