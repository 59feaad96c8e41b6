import { feedbackLimits } from "./feedback-limits.js";

/** One page of a Feedback API list: `total` counts every match, `start` is the offset of the first result. */
export interface Page<T> {
  readonly results: T[];
  readonly total: number;
  readonly start: number;
  readonly limit: number;
}

/** The `limit` and `start` of a list request, with the Feedback API's defaults. */
export function pageWindow(input: { readonly limit?: number; readonly start?: number }): {
  limit: number;
  start: number;
} {
  return { limit: input.limit ?? feedbackLimits.defaultPageSize, start: input.start ?? 0 };
}
