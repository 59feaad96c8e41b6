import type { KeyKind, SecretKeyKind } from "./key-format.js";

/** The back-end endpoint families and the one kind of key each accepts. */
export type KeyFamily = "v1" | "feedback" | "track";

export const familyKind: Readonly<Record<KeyFamily, SecretKeyKind>> = {
  v1: "integration",
  feedback: "feedback",
  track: "track",
};

const placeName: Readonly<Record<KeyFamily, string>> = {
  v1: "the v1 API",
  feedback: "the Feedback API",
  track: "server-side events (POST /data/track, /data/agentic)",
};

const whatItIs: Readonly<Record<KeyKind, string>> = {
  app: "the public app key from the install snippet",
  integration: "an integration key",
  feedback: "a Feedback key",
  track: "an app's track secret",
  identity: "an app's identity secret (it signs visitor tokens in your back end and is never sent to Cairn)",
};

const whatItNeeds: Readonly<Record<KeyFamily, string>> = {
  v1: "an integration key",
  feedback: "a Feedback integration key",
  track: "the app's track secret",
};

/** Where in Cairn a person gets the key each family needs. */
export const whereToGet: Readonly<Record<KeyFamily, string>> = {
  v1: "Create one in Settings → Integrations → Integration Keys, or with `cairn keys create --kind integration`.",
  feedback:
    "Create one in Feedback → Settings → Product Settings → API Access, or with `cairn keys create --kind feedback`.",
  track: "Create one on the app's details page, or with `cairn keys create --kind track --app <app id>`.",
};

export const keyHeaders: Readonly<Record<KeyFamily, string>> = {
  v1: "the x-pendo-integration-key header",
  feedback: "the x-pendo-integration-key or auth-token header",
  track: "the x-pendo-integration-key header",
};

export function wrongKindMessage(received: KeyKind, family: KeyFamily): string {
  return `This is ${whatItIs[received]}; ${placeName[family]} needs ${whatItNeeds[family]}.`;
}

export function missingKeyMessage(family: KeyFamily): string {
  return `No key was sent; ${placeName[family]} needs ${whatItNeeds[family]} in ${keyHeaders[family]}.`;
}
