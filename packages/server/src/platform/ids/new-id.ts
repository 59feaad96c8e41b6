import { randomBase62 } from "./random-base62.js";

export type IdKind =
  | "sub"
  | "app"
  | "usr"
  | "tok"
  | "key"
  | "aud"
  | "ses"
  | "exr"
  // Feedback: ideas, their end users and those users' accounts, votes, comments, status changes.
  | "idea"
  | "eusr"
  | "eacc"
  | "vote"
  | "cmt"
  | "stc"
  // Feedback webhooks: subscriptions, outbox rows, and the delivery id receivers see.
  | "hook"
  | "whd"
  | "dlv"
  // Tagging: pages, features, track types.
  | "page"
  | "feat"
  | "trk"
  // Segments and saved reports (aggregations).
  | "seg"
  | "rep"
  // Bulk deletions of visitors and accounts.
  | "bdel"
  // Guides, their steps, and guide resets.
  | "gde"
  | "gst"
  | "grs";

/** A type-prefixed id such as `app_3kTMd9xQ2bWcA7pLfY0vZe`: the prefix tells what it names at a glance. */
export function newId(kind: IdKind): string {
  return `${kind}_${randomBase62(22)}`;
}
