import type { EffectiveOptions } from "./agent-options.js";

/** The options in force: none until `initialize` starts the agent, none again after `teardown`. */
export interface RunningOptions {
  get(): EffectiveOptions | null;
  set(options: EffectiveOptions | null): void;
  /** The page's `sanitizeUrl` applied to `url`; the URL as it is before start or when that callback throws. */
  sanitize(url: string): string;
}

export function createRunningOptions(): RunningOptions {
  let options: EffectiveOptions | null = null;
  return {
    get: () => options,
    set(next) {
      options = next;
    },
    sanitize(url) {
      try {
        return options ? String(options.sanitizeUrl(url)) : url;
      } catch {
        return url;
      }
    },
  };
}
