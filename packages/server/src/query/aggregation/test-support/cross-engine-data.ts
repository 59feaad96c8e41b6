import { sampleEvent } from "../../../start/test-support/sample-events.js";
import type { StoredEvent } from "../../../store/events/stored-event.js";
import type { ProfilePatches } from "../../../store/profiles/profile-records.js";
import type { Definitions } from "../compile/definitions.js";
import { fixtureNow } from "./aggregation-fixture.js";

/** A seeded generator (mulberry32): the same data set on every run and in every engine. */
export function seeded(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    int: (n: number) => Math.floor(next() * n),
    one: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (percent: number) => next() * 100 < percent,
  };
}

const day = 86_400_000;

export const crossEngineDefinitions = (appId: string): Definitions => ({
  pages: [
    {
      id: "page-dashboard",
      appId,
      name: "Dashboard",
      include: [["^https?://[^/]+/dashboard(/.*)?$"]],
      exclude: [["/dashboard/admin"]],
    },
    { id: "page-settings", appId, name: "Settings", include: [["/settings"]], exclude: [] },
    { id: "page-reports", appId, name: "Reports", include: [["/reports/", "[0-9]+$"]], exclude: [] },
  ],
  features: [
    {
      id: "feature-save",
      appId,
      name: "Save",
      pageId: null,
      appWide: true,
      selectors: [["^BUTTON#save(\\.| |$)"]],
    },
    {
      id: "feature-export",
      appId,
      name: "Export on dashboard",
      pageId: "page-dashboard",
      appWide: false,
      selectors: [["^BUTTON[^ ]*\\.export"]],
    },
  ],
  trackTypes: [
    { id: "tt-registered", appId, name: "Registered", displayName: "Registered" },
    { id: "tt-upgraded", appId, name: "Upgraded", displayName: "Upgraded" },
  ],
  guides: [
    {
      id: "g1",
      appId,
      name: "Welcome",
      state: "public",
      steps: [
        { id: "s1", type: "lightbox", rank: 1 },
        { id: "s2", type: "tooltip", rank: 2 },
      ],
      polls: [],
    },
    {
      id: "gNps",
      appId,
      name: "NPS",
      state: "public",
      steps: [{ id: "s9", type: "poll", rank: 1 }],
      polls: [
        { id: "p1", type: "NPSRating" },
        { id: "p2", type: "FreeForm" },
      ],
    },
  ],
});

const visitors = [...Array.from({ length: 12 }, (_, i) => `v${i}`), "_PENDO_T_a", "_PENDO_T_b"];
const accounts = ["a0", "a1", "a2", "a3", null];
const urls = [
  "https://app.example.com/dashboard",
  "https://app.example.com/dashboard/admin",
  "https://app.example.com/settings?tab=billing",
  "https://app.example.com/reports/42",
  "https://app.example.com/reports/x",
  "http://other.example.org:8080/x",
  null,
];
const paths = ["BUTTON#save.primary < FORM", "BUTTON.export < DIV", "A#home < NAV", "INPUT#q", null];
const agents = [
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0 Safari/537.36 Edg/150.0",
  "curl/8",
  null,
];

function propertiesOf(r: ReturnType<typeof seeded>, type: string): Record<string, unknown> {
  if (type === "track")
    return {
      properties: r.one([
        { plan: "pro", seats: 3, trial: false, tags: ["a", "b"], nested: { x: 1.5 } },
        { plan: "free", seats: 1, trial: true, tags: [], nested: null },
        { plan: null, seats: "12", note: "Ünïcode / slash" },
      ]),
    };
  if (type === "pollResponse")
    return {
      props: {
        guide_id: "gNps",
        guide_step_id: "s9",
        poll_id: r.one(["p1", "p2"]),
        poll_type: r.one(["NPSRating", "FreeForm"]),
        poll_response: r.one([0, 7, 10, 9.5, "great", "meh, ok"]),
      },
    };
  if (type.startsWith("guide"))
    return {
      props: {
        guide_id: r.one(["g1", "g1", "g2"]),
        guide_step_id: r.one(["s1", "s2"]),
        seen_reason: r.one(["auto", "launcher", null]),
        language: r.one(["en", "de", null]),
        load_time: r.one([12.5, 3, null]),
        ui_element_actions: r.one([[{ action: "next" }], null]),
        destination_step_id: r.one(["s2", null]),
      },
    };
  return r.one([{ text: "Save" }, {}, { text: "Export", value: 4 }]);
}

const types = [
  ...["load", "load", "load", "click", "click", "focus", "submit", "change", "track", "track"],
  ...["guideSeen", "guideSeen", "guideAdvanced", "guideDismissed", "guideTimeout", "guideActivity"],
  "pollResponse",
];

/** Events of every kind over the ten days before the fixture's now, each at its own millisecond. */
export function crossEngineEvents(subscriptionId: string, appId: string, n = 1500): StoredEvent[] {
  const r = seeded(20261120);
  return Array.from({ length: n }, (_, i) => {
    const type = r.one(types);
    const occurredAt = fixtureNow - 10 * day + r.int(10 * 24) * 3_600_000 + r.int(3_600) * 1000 + i;
    return sampleEvent({
      eventId: `e${String(i).padStart(5, "0")}`,
      subscriptionId,
      appId,
      type,
      visitorId: r.one(visitors),
      accountId: r.one(accounts),
      occurredAt,
      receivedAt: occurredAt + 500,
      url: r.one(urls),
      title: r.one(["Dashboard", null]),
      elementPath: type === "click" ? r.one(paths) : null,
      trackName: type === "track" ? r.one(["Registered", "Upgraded", "Other"]) : null,
      ip: r.one(["203.0.113.7", "198.51.100.9", null]),
      userAgent: r.one(agents),
      excluded: r.chance(8),
      properties: JSON.stringify(propertiesOf(r, type)),
    });
  });
}

/** Visitors and accounts with metadata of every JSON kind. */
export function crossEngineProfiles(subscriptionId: string, appId: string): ProfilePatches {
  const r = seeded(7);
  return {
    visitors: visitors.map((visitorId, i) => ({
      subscriptionId,
      visitorId,
      firstVisit: fixtureNow - (20 - i) * day,
      lastVisit: fixtureNow - i * 3_600_000,
      lastAppId: appId,
      lastAccountId: r.one(accounts),
      lastUserAgent: r.one(agents),
      lastBrowserName: r.one(["Chrome", "Firefox", null]),
      lastBrowserVersion: r.one(["156.0", null]),
      lastOperatingSystem: r.one(["Linux", "Windows", null]),
      lastServerName: "app.example.com",
      agentMetadata: JSON.stringify(
        r.one([
          { email: `${visitorId}@Example.com`, role: "admin", score: 4.5, beta: true },
          { email: `${visitorId.toUpperCase()}@example.com`, role: null, score: 3, tags: ["x", "y"] },
          { role: "viewer", score: "7", nested: { level: 2 } },
          {},
        ]),
      ),
    })),
    accounts: accounts.flatMap((accountId, i) =>
      accountId === null
        ? []
        : [
            {
              subscriptionId,
              accountId,
              firstVisit: fixtureNow - (30 - i) * day,
              lastVisit: fixtureNow - i * day,
              agentMetadata: JSON.stringify({ tier: r.one(["gold", "silver"]), arr: r.int(5000) / 4 }),
            },
          ],
    ),
    aliases: [],
    customMetadata: visitors.slice(0, 6).map((id, i) => ({
      subscriptionId,
      kind: "visitor" as const,
      id,
      values: { plan: r.one(["pro", "free"]), seats: i * 2, vip: i % 2 === 0 },
    })),
  };
}
