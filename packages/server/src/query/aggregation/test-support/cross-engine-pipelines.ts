/**
 * Pipelines for the cross-engine suite: every source, every stage, every aggregator and function, over the
 * data set of cross-engine-data.ts. Each gives rows there (the suite checks that too).
 */

const tenDays = { period: "dayRange", first: "now() - 9 * 24 * 60 * 60 * 1000", count: 10 };
const hours = { period: "hourRange", first: "now() - 30 * 60 * 60 * 1000", count: 30 };
const events = { source: { events: null, timeSeries: tenDays } };
const singleEvents = { source: { singleEvents: null, timeSeries: tenDays } };

export const crossEnginePipelines: Record<string, unknown[]> = {
  "events by day, every field": [events],
  "events by hour with minutesActive": [
    { source: { events: { blacklist: "ignore" }, timeSeries: hours } },
    { select: { visitorId: "visitorId", hour: "hour", minutesActive: "minutesActive" } },
  ],
  "events only excluded": [{ source: { events: { blacklist: "only" }, timeSeries: tenDays } }],
  "group answered from the rollups": [
    events,
    {
      group: {
        group: ["appId", "day"],
        fields: {
          events: { sum: "numEvents" },
          visitors: { count: "visitorId" },
          last: { max: "lastTime" },
          firstVisitor: { min: "visitorId" },
        },
      },
    },
  ],
  "identified then grouped": [
    events,
    { identified: "visitorId" },
    { group: { group: ["accountId"], fields: { n: { sum: "numEvents" }, v: { count: "visitorId" } } } },
  ],
  "anonymous only": [events, { identified: "!visitorId" }],
  "numeric aggregators": [
    events,
    {
      group: {
        group: ["visitorId"],
        fields: {
          total: { sum: "numEvents" },
          rows: { count: null },
          accounts: { count: "accountId" },
          pairs: { count: ["accountId", "day"] },
          mean: { avg: "numMinutes" },
          mid: { median: "numEvents" },
          spread: { stddev: "numEvents" },
          variance: { var: "numMinutes" },
          busy: { countIf: { if: "numEvents > 2" } },
          busyDays: { countIf: { if: "numEvents > 1", count: "day" } },
          p: { percentiles: { field: "numEvents", p0: 0, p25: 25, p50: 50, p90: 90, p100: 100 } },
        },
      },
    },
  ],
  "ordered aggregators after a descending sort": [
    events,
    { sort: ["-day", "accountId"] },
    {
      group: {
        group: ["visitorId"],
        fields: {
          days: { list: "day" },
          firstAccount: { first: "accountId" },
          busyDays: { listIf: { list: "day", if: "numEvents > 1" } },
          agents: { list: "userAgent" },
          pairs: { concat: "list(numEvents, numMinutes)" },
        },
      },
    },
  ],
  "activity aggregators": [
    { source: { events: null, timeSeries: tenDays } },
    {
      group: {
        group: ["accountId"],
        fields: {
          created: { daysActiveCreate: "lastTime" },
          union: { daysActiveUnion: "minutesActive" },
          days: { daysActiveCount: "minutesActive" },
          daysOfTimes: { daysActiveCount: "day" },
          minutes: { minutesActiveUnion: "minutesActive" },
          minuteCount: { minutesActiveCount: "minutesActive" },
          average: { listAverage: "list(numEvents, numMinutes * 1.5)" },
        },
      },
    },
  ],
  sequence: [
    singleEvents,
    { filter: "visitorId == 'v1' || visitorId == 'v2'" },
    {
      group: {
        group: ["visitorId"],
        fields: { runs: { sequence: { new: "type == 'load'", sort: ["-browserTime"] } } },
      },
    },
  ],
  "reduce over every row": [
    singleEvents,
    { reduce: { n: { count: null }, firstUrl: { first: "url" }, types: { count: "type" } } },
  ],
  "reduce over no rows": [
    singleEvents,
    { filter: "visitorId == 'nobody'" },
    {
      reduce: {
        n: { count: null },
        total: { sum: "browserTime" },
        top: { max: "browserTime" },
        urls: { list: "url" },
        mid: { median: "browserTime" },
      },
    },
  ],
  "page events": [{ source: { pageEvents: null, timeSeries: tenDays } }],
  "one page's events, hourly": [{ source: { pageEvents: { pageId: "page-reports" }, timeSeries: hours } }],
  "feature events": [{ source: { featureEvents: null, timeSeries: tenDays } }],
  "feature events grouped": [
    { source: { featureEvents: null, timeSeries: tenDays } },
    { group: { group: ["featureId"], fields: { n: { sum: "numEvents" }, v: { count: "visitorId" } } } },
  ],
  "track events and their properties": [
    { source: { trackEvents: null, timeSeries: tenDays } },
    {
      eval: {
        plan: "properties.plan",
        seats: "properties.seats + 1",
        firstTag: "properties.tags[0]",
        nestedX: "properties.nested.x",
        isList: "isList(properties.tags)",
        isBool: "isBoolean(properties.trial)",
        isNum: "isNumber(properties.seats)",
        isStr: "isString(properties.plan)",
        nothing: "isNull(properties.missing)",
      },
    },
  ],
  "single events with functions": [
    singleEvents,
    { filter: "contains(url, 'example') && !isNull(userAgent)" },
    {
      select: {
        eventId: "eventId",
        browserTime: "browserTime",
        week: "startOfPeriod('weekly', browserTime)",
        month: "startOfPeriod('monthly', browserTime)",
        quarter: "startOfPeriod('quarterly', browserTime)",
        year: "startOfPeriod('yearly', browserTime)",
        hourStart: "startOfPeriod('hourly', browserTime)",
        later: "dateAdd(browserTime, 1, 'months')",
        earlier: "dateAdd(browserTime, -3, 'days')",
        rounded: "round(browserTime / 7000)",
        half: "round(2.5) + round(-2.5) * 10",
        floored: "floor(browserTime / 7000)",
        ceiled: "ceil(browserTime / 7000)",
        absolute: "abs(0 - browserTime)",
        remainder: "browserTime % 7",
        ratio: "browserTime / 0",
        urlLength: "len(url)",
        parts: "split(url, '/')",
        partCount: "len(split(url, '/'))",
        upper: "toUpperCase(type)",
        lower: "toLowerCase(userAgent)",
        hashed: "hash(visitorId)",
        label: "type + ':' + visitorId",
        numberText: "toString(browserTime / 1000)",
        starts: "startsWith(url, 'https')",
        either: "if(type == 'load', 1, 'other')",
        both: "list(type, visitorId)",
        mixed: "list(1, 'a', properties.value)",
        inList: "contains(list('load', 'click'), type)",
        identified: "identified(visitorId)",
        empty: "isEmpty(elementPath)",
        text: "properties.text",
        value: "properties.value * 2",
        valueText: "toString(properties.value)",
        subType: "eventSubType(type)",
        now: "now()",
        fixed: "date(2026, 3, 1)",
      },
    },
  ],
  "user agents": [
    singleEvents,
    { select: { userAgent: "userAgent" } },
    { useragent: { browser: "userAgent" } },
    {
      group: {
        group: ["browser.name", "browser.version", "browser.os", "browser.deviceType"],
        fields: { n: { count: null } },
      },
    },
  ],
  "switch and structured filters": [
    singleEvents,
    { filter: { field: "type", operator: "eq", value: "click" } },
    {
      switch: {
        kind: {
          elementPath: [
            { value: "save", "==": "BUTTON#save.primary < FORM" },
            { value: "other", "!=": "" },
          ],
        },
      },
    },
    { group: { group: ["kind"], fields: { n: { count: null } } } },
  ],
  "guide events": [{ source: { guideEvents: null, timeSeries: tenDays } }],
  "one guide's events": [
    { source: { guideEvents: { guideId: "g1", guideStepId: "s2" }, timeSeries: tenDays } },
  ],
  "poll events": [{ source: { pollEvents: null, timeSeries: tenDays } }],
  "guides seen": [{ source: { guidesSeen: null, timeSeries: tenDays } }],
  "guides seen ever": [{ source: { guidesSeenEver: { guideId: "g1" } } }],
  "polls seen": [{ source: { pollsSeen: null, timeSeries: tenDays } }],
  "polls seen ever, by poll": [
    { source: { pollsSeenEver: null } },
    { group: { group: ["pollId"], fields: { n: { count: null }, answers: { list: "response" } } } },
  ],
  "unmarshal the actions guide events carry": [
    { source: { guideEvents: null, timeSeries: tenDays } },
    { filter: "!isNull(uiElementActions)" },
    { unmarshal: { actions: "uiElementActions" } },
    { select: { eventId: "guideTimestamp", actions: "actions", first: "actions[0].action" } },
  ],
  visitors: [{ source: { visitors: null } }],
  "visitors by metadata": [
    { source: { visitors: { identified: true } } },
    {
      eval: {
        email: "toLowerCase(metadata.agent.email)",
        score: "metadata.agent.score * 2",
        scoreKind: "isNumber(metadata.agent.score)",
        hasTags: "isList(metadata.agent.tags)",
        plan: "metadata.custom.plan",
        vip: "metadata.custom.vip",
      },
    },
    { filter: "!isNull(email) || score > 5" },
  ],
  "anonymous visitors since a time": [
    { source: { visitors: { identified: false, since: "now() - 7 * 24 * 60 * 60 * 1000" } } },
  ],
  accounts: [{ source: { accounts: null } }],
  "expand visitors and accounts": [
    events,
    { group: { group: ["visitorId", "accountId"], fields: { n: { sum: "numEvents" } } } },
    { expand: { who: { visitor: "visitorId" }, company: { account: "accountId" } } },
    {
      select: {
        visitorId: "visitorId",
        n: "n",
        email: "who.metadata.agent.email",
        browser: "who.metadata.auto.lastbrowsername",
        tier: "company.metadata.agent.tier",
      },
    },
  ],
  definitions: [
    {
      spawn: [
        [{ source: { pages: null } }],
        [{ source: { features: null } }],
        [{ source: { trackTypes: null } }],
        [{ source: { guides: null } }],
      ],
    },
    { cat: null },
  ],
  "unwind with index, keeping empty lists": [
    events,
    { group: { group: ["visitorId"], fields: { agents: { list: "remoteIp" } } } },
    { unwind: { field: "agents", index: "at", keepEmpty: true } },
  ],
  "unwind dropping empty lists": [
    singleEvents,
    { filter: "type == 'click'" },
    { group: { group: ["accountId"], fields: { paths: { list: "elementPath" } } } },
    { unwind: { field: "paths", index: "i" } },
  ],
  "spawn and join by key, in both streams": [
    {
      spawn: [
        [events, { group: { group: ["visitorId"], fields: { events: { sum: "numEvents" } } } }],
        [
          { source: { pageEvents: null, timeSeries: tenDays } },
          {
            group: {
              group: ["visitorId"],
              fields: { pages: { count: "pageId" }, events: { sum: "numEvents" } },
            },
          },
        ],
      ],
    },
    { join: { fields: ["visitorId"], width: 2 } },
  ],
  "spawn and join by key, in either stream, with a field of two types": [
    {
      spawn: [
        [events, { group: { group: ["accountId"], fields: { x: { sum: "numEvents" } } } }],
        [
          { source: { pollsSeenEver: null } },
          { group: { group: ["accountId"], fields: { x: { first: "response" } } } },
        ],
      ],
    },
    { join: { fields: ["accountId"] } },
  ],
  "join of lists, the key in either stream": [
    {
      spawn: [
        [
          events,
          { filter: "visitorId == 'v1'" },
          { group: { group: ["visitorId"], fields: { l: { list: "day" } } } },
        ],
        [events, { group: { group: ["visitorId"], fields: { l: { list: "numEvents" } } } }],
      ],
    },
    { join: { fields: ["visitorId"] } },
  ],
  "unwind a list of lists": [
    singleEvents,
    { group: { group: ["visitorId"], fields: { runs: { sequence: { new: "type == 'load'" } } } } },
    { unwind: { field: "runs", index: "i", keepEmpty: true } },
    { select: { visitorId: "visitorId", i: "i", n: "len(runs)", firstType: "runs[0].type" } },
  ],
  "an item of a list of lists": [
    singleEvents,
    { group: { group: ["visitorId"], fields: { runs: { sequence: { new: "type == 'load'" } } } } },
    { select: { visitorId: "visitorId", first: "runs[0]", size: "len(runs[0])", type: "runs[0][0].type" } },
  ],
  "cat of lists": [
    {
      spawn: [
        [events, { group: { group: ["accountId"], fields: { l: { list: "visitorId" } } } }],
        [singleEvents, { group: { group: ["accountId"], fields: { l: { list: "type" } } } }],
      ],
    },
    { cat: null },
  ],
  "fork, then join the reductions": [
    events,
    {
      fork: [
        [{ reduce: { events: { sum: "numEvents" } } }],
        [{ filter: "numEvents > 2" }, { reduce: { busy: { count: null } } }],
      ],
    },
    { join: { fields: [] } },
  ],
  "cat of two sources": [
    {
      spawn: [
        [
          { source: { guideEvents: null, timeSeries: tenDays } },
          { select: { v: "visitorId", what: "type" } },
        ],
        [
          { source: { pollEvents: null, timeSeries: tenDays } },
          { select: { v: "visitorId", what: "pollResponse" } },
        ],
      ],
    },
    { cat: null },
  ],
  "merge with mappings": [
    { source: { pages: null } },
    { eval: { pageId: "id" } },
    {
      merge: {
        fields: ["pageId"],
        mappings: { visits: "n", lastVisitor: "last" },
        pipeline: [
          { source: { pageEvents: null, timeSeries: tenDays } },
          { group: { group: ["pageId"], fields: { n: { sum: "numEvents" }, last: { max: "visitorId" } } } },
        ],
      },
    },
  ],
  "key-set paging": [
    singleEvents,
    { sort: ["-browserTime", "eventId"] },
    { filter: "browserTime < now() - 2 * 24 * 60 * 60 * 1000" },
    { limit: 25 },
  ],
  // An output named as an input field that other outputs read: ClickHouse's aliases must not capture them.
  "outputs named as the fields they read": [
    events,
    {
      group: {
        group: ["visitorId"],
        fields: { numEvents: { sum: "numEvents" }, most: { max: "numEvents" }, all: { list: "numEvents" } },
      },
    },
  ],
  "fields swapped and replaced": [
    events,
    { eval: { numEvents: "numEvents * 2", before: "numEvents", day: "numMinutes", numMinutes: "day" } },
    {
      select: {
        visitorId: "accountId",
        accountId: "visitorId",
        numEvents: "numEvents",
        before: "before",
        day: "day",
        numMinutes: "numMinutes",
      },
    },
  ],
  "count stage": [singleEvents, { filter: "type == 'track'" }, { count: null }],
};
