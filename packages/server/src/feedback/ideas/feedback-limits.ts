/** Bounds on what the Feedback API stores; the route schemas and the services both use them. */
export const feedbackLimits = {
  titleLength: 255,
  detailsLength: 20_000,
  commentLength: 10_000,
  tagLength: 100,
  tags: 50,
  productAreaLength: 100,
  /** User and account ids are the team's own, often UUIDs or emails. */
  externalIdLength: 255,
  emailLength: 254,
  nameLength: 200,
  searchLength: 200,
  /** An account's monthly value, in whatever currency the team counts in. */
  maxMonthlyValue: 1_000_000_000_000,
  /** The most -1 ("not interested") and the most a single vote may weigh, as in Pendo Feedback. */
  minVote: -1,
  maxVote: 1_000_000,
  defaultPageSize: 50,
  maxPageSize: 500,
  /** Pendo's classic paths take larger pages (its clients page through everything with them). */
  classicMaxPageSize: 1000,
} as const;
