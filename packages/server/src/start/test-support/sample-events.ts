import { randomUUID } from "node:crypto";
import type { StoredEvent } from "../../store/events/stored-event.js";

/** A plausible stored event; `overrides` pin the fields a test cares about. */
export function sampleEvent(overrides: Partial<StoredEvent> = {}): StoredEvent {
  const now = Date.now();
  return {
    eventId: randomUUID(),
    subscriptionId: "sub_test",
    appId: "app_test",
    type: "click",
    visitorId: "visitor-1",
    accountId: "account-1",
    occurredAt: now - 1000,
    receivedAt: now,
    url: "https://app.example.com/settings?tab=billing",
    title: "Settings",
    elementPath: "button#save.primary < form < main",
    trackName: null,
    ip: "203.0.113.7",
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0",
    isBot: false,
    excluded: false,
    unsignedIdentity: false,
    batchKey: "batch-1",
    properties: JSON.stringify({ text: "Save" }),
    ...overrides,
  };
}
