import { sampleEvent } from "../../../start/test-support/sample-events.js";
import type { StoredEvent } from "../../../store/events/stored-event.js";
import { fixtureNow } from "./aggregation-fixture.js";

// Random pipelines over the events source and random events for them, drawn from numbers fast-check makes (so
// failures shrink): compiled-matches-reference.test.ts holds the compiled SQL to the reference evaluator with
// them, cross-engine.test.ts holds the engines to each other.

/** Draws choices from a list of numbers fast-check made (so failures shrink), cycling when it runs out. */
export class Chooser {
  private at = 0;
  constructor(private readonly picks: readonly number[]) {}
  int(n: number): number {
    const pick = this.picks.length === 0 ? 0 : (this.picks[this.at++ % this.picks.length] as number);
    return pick % n;
  }
  one<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  chance(percent: number): boolean {
    return this.int(100) < percent;
  }
}

type Fields = Map<string, "number" | "string">;

function condition(c: Chooser, fields: Fields, depth = 0): string {
  if (depth < 2 && c.chance(30)) {
    const op = c.one(["&&", "||"]);
    return `(${condition(c, fields, depth + 1)} ${op} ${condition(c, fields, depth + 1)})`;
  }
  if (depth < 2 && c.chance(10)) return `!(${condition(c, fields, depth + 1)})`;
  const names = [...fields.keys()];
  const name = c.one(names);
  if (fields.get(name) === "number") {
    const op = c.one(["==", "!=", "<", "<=", ">", ">="]);
    const big = /time|day|hour/i.test(name);
    const value = big ? `now() - ${c.int(4) * 86_400_000}` : String(c.int(5));
    return `${name} ${op} ${value}`;
  }
  return c
    .one([
      `${name} == "${c.one(["v1", "v2", "acme", "globex"])}"`,
      `${name} != "${c.one(["v1", "acme"])}"`,
      `contains(${name}, "${c.one(["1", "a", "e"])}")`,
      `startsWith(${name}, "${c.one(["v", "_", "g"])}")`,
      `isNull(${name})`,
      "identified(visitorId)",
    ])
    .replace("identified(visitorId)", fields.has("visitorId") ? "identified(visitorId)" : `isNull(${name})`);
}

function scalarAggregator(c: Chooser, numeric: string[]): Record<string, unknown> {
  const agg = c.one(["sum", "count", "countField", "min", "max", "avg"]);
  if (agg === "count") return { count: null };
  if (agg === "countField") return { count: c.one(["visitorId", "accountId"]) };
  return { [agg]: c.one(numeric) };
}

/** The aggregators over lists and activity sets, on the events source's `minutesActive` and times. */
function listAggregator(c: Chooser, fields: Fields, period: string): Record<string, unknown> {
  const pair = `list(numEvents, ${c.one(["numMinutes", "numEvents * 2"])})`;
  switch (c.int(8)) {
    case 0:
      return { listAverage: c.one([pair, "minutesActive"]) };
    case 1:
      return { concat: c.one([pair, "minutesActive"]) };
    case 2:
      return { daysActiveCreate: c.one([period, "lastTime"]) };
    case 3:
      return { daysActiveUnion: "minutesActive" };
    case 4:
      return { daysActiveCount: c.one(["minutesActive", "lastTime", period]) };
    case 5:
      return { minutesActiveUnion: "minutesActive" };
    case 6:
      return { minutesActiveCount: c.one(["minutesActive", "lastTime"]) };
    default: {
      const sort = [...fields.keys()].filter(() => c.chance(30)).map((f) => (c.chance(40) ? `-${f}` : f));
      return { sequence: { new: condition(c, fields), sort } };
    }
  }
}

/** With `lists`, every pipeline groups, and with the list and activity aggregators only. */
export function pipelineFrom(c: Chooser, lists = false): Record<string, unknown>[] {
  const hourly = c.chance(30);
  const period = hourly ? "hour" : "day";
  const pipeline: Record<string, unknown>[] = [
    {
      source: {
        events: null,
        timeSeries: {
          period: hourly ? "hourRange" : "dayRange",
          first: "now()",
          count: hourly ? -(1 + c.int(72)) : -(1 + c.int(3)),
        },
      },
    },
  ];
  const fields: Fields = new Map([
    ["accountId", "string"],
    ["appId", "string"],
    [period, "number"],
    ["lastTime", "number"],
    ["numEvents", "number"],
    ["numMinutes", "number"],
    ["remoteIp", "string"],
    ["server", "string"],
    ["userAgent", "string"],
    ["visitorId", "string"],
  ]);
  if (c.chance(40)) pipeline.push({ identified: "visitorId" });
  for (let i = c.int(3); i > 0; i--) pipeline.push({ filter: condition(c, fields) });
  if (c.chance(40)) {
    pipeline.push({ eval: { score: `numEvents * ${1 + c.int(3)} + numMinutes` } });
    fields.set("score", "number");
  }
  if (lists || c.chance(60)) {
    const keys = ["visitorId", "accountId", period].filter(() => c.chance(60));
    const numeric = [...fields].filter(([, t]) => t === "number").map(([n]) => n);
    const aggs: Record<string, Record<string, unknown>> = {};
    // Outputs that are lists: kept out of the fields conditions, selects and sorts are drawn from.
    const lists = new Set<string>();
    for (let i = 1 + c.int(2); i > 0; i--) {
      const out = `out${i}`;
      const spec = lists || c.chance(50) ? listAggregator(c, fields, period) : scalarAggregator(c, numeric);
      aggs[out] = spec;
      if (
        ["concat", "daysActiveCreate", "daysActiveUnion", "minutesActiveUnion", "sequence"].some(
          (a) => a in spec,
        )
      )
        lists.add(out);
    }
    pipeline.push({ group: { group: keys, fields: aggs } });
    fields.clear();
    for (const k of keys) fields.set(k, k === period ? "number" : "string");
    for (const out of Object.keys(aggs)) if (!lists.has(out)) fields.set(out, "number");
    if (fields.size > 0 && c.chance(40)) pipeline.push({ filter: condition(c, fields) });
  } else if (c.chance(30)) {
    const picked = [...fields.keys()].filter(() => c.chance(50));
    if (picked.length > 0) {
      const select: Record<string, string> = {};
      for (const f of picked) select[c.chance(30) ? `${f}Copy` : f] = f;
      pipeline.push({ select });
      const types = new Map(fields);
      fields.clear();
      for (const [out, from] of Object.entries(select)) fields.set(out, types.get(from) as "number");
    }
  }
  if (c.chance(50) && fields.size > 0) {
    const sort = [...fields.keys()].filter(() => c.chance(40)).map((f) => (c.chance(40) ? `-${f}` : f));
    if (sort.length > 0) pipeline.push({ sort });
  }
  if (c.chance(40)) pipeline.push({ limit: c.int(6) });
  if (c.chance(15)) pipeline.push({ count: null });
  else if (c.chance(10)) pipeline.push({ reduce: { total: { count: null } } });
  return pipeline;
}

const visitors = ["v1", "v2", "v3", "_PENDO_T_a"];
const accounts = ["acme", "globex", null];

export function eventsFrom(c: Chooser, subscriptionId: string, appId: string, n: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (let i = 0; i < n; i++) {
    events.push(
      sampleEvent({
        subscriptionId: c.chance(90) ? subscriptionId : "sub_other",
        appId: c.chance(90) ? appId : "app_other",
        visitorId: c.one(visitors),
        accountId: c.one(accounts),
        type: c.one(["load", "click", "track", "meta", "guideSeen"]),
        // distinct times within the four days before now, so "the period's last event" is never a tie; an
        // hour and a second in it are drawn apart, since the picks are under 10,007 (under three hours of seconds)
        occurredAt: fixtureNow - 4 * 86_400_000 + c.int(96) * 3_600_000 + c.int(3_600) * 1000 + i,
        ip: c.one(["203.0.113.7", "198.51.100.9", null]),
        userAgent: c.one(["Mozilla/5.0 Chrome/150", "curl/8"]),
        url: c.one(["https://app.example.com/a", "https://other.example.org/b?x=1", null]),
        excluded: c.chance(10),
      }),
    );
  }
  return events;
}
