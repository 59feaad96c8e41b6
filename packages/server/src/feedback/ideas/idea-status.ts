export type IdeaStatus = "new" | "waiting" | "planned" | "developing" | "released" | "declined";

/** The statuses an idea moves through, in Pendo Feedback's order. */
export const ideaStatuses: readonly IdeaStatus[] = [
  "new",
  "waiting",
  "planned",
  "developing",
  "released",
  "declined",
];
