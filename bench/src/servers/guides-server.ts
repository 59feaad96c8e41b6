/**
 * Server for the guide.json benchmark: Cairn as `cairn start` builds it (real stores in a temporary folder)
 * with BENCH_GUIDES live guides (most public to everyone, some to one of five segments, some staged, some on
 * one page) and BENCH_VISITORS visitors whose guide events were sent through the collector, so every answer
 * reads real step states. The baseline, `/bench/guide-fixed.json/:appKey`, answers one visitor's payload,
 * computed once, with the same headers: everything but the per-visitor work.
 * Prints `ready <url> <appKey>` and runs until killed.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig, startCairn } from "@cairn/server";
import {
  collectorCorsHeaders,
  createGuide,
  createSegment,
  encodeJzb,
  setGuideState,
} from "@cairn/server/internals";

const guideCount = Number(process.env.BENCH_GUIDES ?? 50);
const visitorCount = Number(process.env.BENCH_VISITORS ?? 10_000);

const dataDir = mkdtempSync(path.join(tmpdir(), "cairn-bench-guides-"));
const config = loadConfig(
  {
    dataDir,
    port: "0",
    logLevel: "warn",
    publicRatePerApp: "1000000000",
    publicRatePerAddress: "1000000000",
  },
  {},
  process.cwd(),
);
let fixed: unknown = null;
const cairn = await startCairn(config, {
  beforeListen(app) {
    app.get("/bench/guide-fixed.json/:appKey", async (_request, reply) =>
      reply.headers(collectorCorsHeaders).header("cache-control", "no-store").send(fixed),
    );
  },
});
const db = cairn.metadata.db;
const subscriptionId = cairn.installation.subscription.id;
const appKey = cairn.installation.app.appKey;
const actor = { id: "bench" };
const visitorId = (n: number) => `visitor-${n}`;

const segments: string[] = [];
for (let s = 0; s < 5; s++) {
  const visitors = Array.from({ length: visitorCount / 5 }, (_, i) => visitorId(i * 5 + s));
  const segment = await createSegment(db, subscriptionId, { name: `Segment ${s}`, visitors }, actor, {
    createdByApi: false,
  });
  segments.push(segment.id);
}

/** Three steps, as a walkthrough has: a lightbox with a poll, a tooltip, a banner. */
function guideBody(i: number) {
  return {
    name: `Guide ${i}`,
    launchMethod: i % 4 === 0 ? "badge" : "auto",
    activationSelector: "#help",
    priority: i,
    polls: [{ id: "nps", type: "nps", question: "How likely are you to recommend us?" }],
    steps: [
      {
        type: "lightbox",
        content: {
          blocks: [
            { type: "heading", text: `Welcome to feature ${i}`, level: 2 },
            { type: "text", text: "A short tour of what changed, in three steps." },
            { type: "poll", pollId: "nps" },
            { type: "button", label: "Next", action: { type: "advanceGuide" } },
          ],
        },
      },
      {
        type: "tooltip",
        anchorSelector: `#feature-${i}`,
        content: {
          blocks: [
            { type: "text", text: "Click here to start." },
            { type: "button", label: "Next", action: { type: "advanceGuide" } },
          ],
        },
      },
      {
        type: "banner",
        content: { blocks: [{ type: "button", label: "Done", action: { type: "dismissGuide" } }] },
      },
    ],
    ...(i >= 30 && i < 40 ? { segmentId: segments[i % 5] } : {}),
    ...(i >= 40 && i < 45 ? { stagedVisitorIds: [visitorId(0), visitorId(1)] } : {}),
    ...(i >= 45 ? { urlRule: `//*/page-${i}` } : {}),
  };
}

const guideIds: string[] = [];
const stepIds: string[][] = [];
for (let i = 0; i < guideCount; i++) {
  const guide = await createGuide(db, subscriptionId, guideBody(i), actor);
  await setGuideState(db, subscriptionId, guide.id, i >= 40 && i < 45 ? "staged" : "public", actor);
  guideIds.push(guide.id);
  stepIds.push(guide.steps.map((s) => s.id));
}

// Each visitor saw two guides: one advanced to its second step, one dismissed on its first.
const now = Date.now() - 3_600_000;
const events: object[] = [];
for (let n = 0; n < visitorCount; n++) {
  const a = n % guideCount;
  const b = (n * 7 + 3) % guideCount;
  const event = (type: string, guide: number, step: number, at: number, props: object) => ({
    type,
    visitor_id: visitorId(n),
    account_id: "acme",
    browser_time: now + at,
    url: "http://app.example.com/home",
    props: { guide_id: guideIds[guide], guide_step_id: stepIds[guide]?.[step], duration: 0, ...props },
    sequence: 0,
  });
  events.push(
    event("guideSeen", a, 0, 0, { reason: "auto", last_updated_at: 1 }),
    event("guideAdvanced", a, 0, 1_000, { seen_reason: "auto" }),
    event("guideSeen", b, 0, 2_000, { reason: "auto", last_updated_at: 1 }),
    event("guideDismissed", b, 0, 3_000, { seen_reason: "auto" }),
  );
}
for (let start = 0; start < events.length; start += 1_000) {
  const sent = await fetch(`${cairn.publicUrl}/data/guide.gif/${appKey}?v=bench`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ events: encodeJzb(events.slice(start, start + 1_000)) }),
  });
  if (!sent.ok) throw new Error(`seeding guide events failed: ${sent.status} ${await sent.text()}`);
}
await cairn.writer.flush();

const sample = await fetch(
  `${cairn.publicUrl}/data/guide.json/${appKey}?id=1&jzb=${encodeJzb({ visitorId: visitorId(2), url: "http://app.example.com/home" })}`,
);
fixed = await sample.json();
// The seeded events must have reached the step states, or every answer would be the cheap "not seen" one.
const states = (fixed as { guides: { steps: { seenState: string }[] }[] }).guides.flatMap((g) =>
  g.steps.map((s) => s.seenState),
);
if (!states.includes("dismissed") || !states.includes("advanced"))
  throw new Error(`the seeded guide events are not in the step states: ${JSON.stringify(states)}`);
process.stdout.write(`ready ${cairn.publicUrl} ${appKey}\n`);
process.on("SIGTERM", () => {
  void cairn.shutdown().then(() => process.exit(0));
});
