import type { KeyRecord } from "../../access/keys/key-record.js";
import { createKey, setIntegrationKeysEnabled } from "../../access/keys/key-service.js";
import type { RunningCairn } from "../start-cairn.js";
import { otherSubscription } from "./installed-store.js";

export interface KeysOfEveryKind {
  readonly integration: string;
  readonly feedback: string;
  readonly feedbackRecord: KeyRecord;
  readonly track: string;
  readonly app: string;
}

/**
 * One key of each kind for the server's first subscription (integration keys enabled, a write-access
 * integration key, the first app's track secret and app key), for tests of which key a route accepts.
 */
export async function keysOfEveryKind(cairn: RunningCairn): Promise<KeysOfEveryKind> {
  const db = cairn.metadata.db;
  const subscriptionId = cairn.installation.subscription.id;
  await setIntegrationKeysEnabled(db, { subscriptionId, enabled: true, actor: "test" });
  const make = (kind: "integration" | "feedback" | "track") =>
    createKey(db, {
      subscriptionId,
      kind,
      description: `${kind} key for tests`,
      actor: "test",
      ...(kind === "integration" ? { write: true } : {}),
      ...(kind === "track" ? { appId: cairn.installation.app.id } : {}),
    });
  const feedback = await make("feedback");
  return {
    integration: (await make("integration")).key,
    feedback: feedback.key,
    feedbackRecord: feedback.record,
    track: (await make("track")).key,
    app: cairn.installation.app.appKey,
  };
}

/** A key of a second subscription, which must find nothing of the first (write access for integration keys). */
export async function otherSubscriptionKey(
  cairn: RunningCairn,
  kind: "feedback" | "integration",
): Promise<string> {
  const other = await otherSubscription(cairn.metadata);
  const created = await createKey(cairn.metadata.db, {
    subscriptionId: other.subscriptionId,
    kind,
    description: `another subscription's ${kind} key`,
    actor: "test",
    ...(kind === "integration" ? { write: true } : {}),
  });
  return created.key;
}
