import { CairnError } from "../platform/errors/cairn-error.js";

/**
 * Callers waiting to read their own write: each waits for its log sequence to be loaded into both stores. Any
 * number may wait for one sequence (a metadata write waits for its own; a read that wants what was acknowledged
 * before it waits for the last sequence logged).
 */
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
  const waiters = new Map<number, Array<{ resolve: () => void; reject: (error: Error) => void }>>();
  let loadedThrough = 0;
  return {
    wait(sequence) {
      if (sequence <= loadedThrough) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const those = waiters.get(sequence);
        if (those) those.push({ resolve, reject });
        else waiters.set(sequence, [{ resolve, reject }]);
      });
    },
    settle(through) {
      loadedThrough = Math.max(loadedThrough, through);
      for (const [sequence, those] of waiters) {
        if (sequence > loadedThrough) continue;
        waiters.delete(sequence);
        for (const waiter of those) waiter.resolve();
      }
    },
    refuse(sequence, error) {
      const those = waiters.get(sequence) ?? [];
      waiters.delete(sequence);
      for (const waiter of those) waiter.reject(error);
    },
    stopAll() {
      for (const those of waiters.values())
        for (const waiter of those) waiter.reject(new CairnError("shutting_down"));
      waiters.clear();
    },
  };
}
