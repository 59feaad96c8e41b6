/** One page of a Feedback API list: `total` counts every match, `start` is the offset of the first result. */
export interface Page<T> {
  readonly results: readonly T[];
  readonly total: number;
  readonly start: number;
  readonly limit: number;
}
