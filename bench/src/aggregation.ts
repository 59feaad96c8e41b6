/**
 * Aggregations at scale: BENCH_AGG_EVENTS events (default 10 M) generated in the event store over the last 30
 * days, then five questions asked through `POST /api/v1/aggregation` over HTTP and as hand-written SQL on the
 * same store in the same process, alternating, BENCH_ROUNDS times each: daily active visitors over 30 days,
 * top pages over 7 days, feature use per account, track-event counts, and a page → feature funnel
 * (spawn/join). Both give the same answer (checked). Then a new page rule over the stored events, timed from
 * its creation to an answer that counts them. Goals: each ≤ 1.3× its hand-written SQL and under 500 ms median;
 * a new rule counted in under 5 s.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { loadConfig, startCairn } from "@cairn/server";
import { type AggregationQuestion, days, questionPipelines } from "./aggregation-questions.js";
import { day, generateEvents, integrationApi, type Row, tagSectionsAndButtons } from "./seed-events.js";
import { describeMachine, median } from "./stats.js";

const eventCount = Number(process.env.BENCH_AGG_EVENTS ?? 10_000_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const visitors = 20_000;
/** Keeps the generated store for a look afterwards (its folder is printed). */
const keep = process.env.BENCH_KEEP === "1";

interface Question extends AggregationQuestion {
  /** The same question in SQL, as someone would write it by hand against the events table. */
  readonly sql: string;
}

export async function aggregation(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "cairn-bench-aggregation-"));
  const config = loadConfig({ dataDir: dir, port: "0", logLevel: "silent" }, {}, process.cwd());
  const cairn = await startCairn(config);
  try {
    const subscriptionId = cairn.installation.subscription.id;
    const appId = cairn.installation.app.id;
    const now = Date.now();

    process.stderr.write(`  generating ${eventCount.toLocaleString("en")} events…\n`);
    const generateSeconds = await generateEvents(cairn, {
      events: eventCount,
      visitors,
      accounts: 2000,
      now,
    });
    const run = (sql: string, params: Record<string, string | number> = {}) =>
      cairn.events.run<Row>({ engine: cairn.events.dialect.engine, sql, params });

    const { api } = await integrationApi(cairn);
    const { pages, features } = await tagSectionsAndButtons(api, 10);
    const trackTypes = (await api("GET", "/api/v1/tracktype")) as unknown as {
      id: string;
      trackTypeName: string;
    }[];

    const where = (days: number) =>
      `subscription_id = '${subscriptionId}' AND app_id = '${appId}' AND NOT excluded AND occurred_at >= make_timestamp(${(Math.floor(now / day) * day - (days - 1) * day) * 1000}) AND occurred_at < make_timestamp(${(Math.floor(now / day) * day + day) * 1000})`;
    const pageCase = `CASE ${pages.map((id, k) => `WHEN regexp_matches(url, '^https?://[^/]+/section-${k}(/.*)?$') THEN '${id}'`).join(" ")} END`;
    const featureCase = `CASE ${features.map((id, k) => `WHEN regexp_matches(element_path, '(^| < )BUTTON#btn-${k}(\\.| |$)') THEN '${id}'`).join(" ")} END`;
    const trackCase = `CASE ${trackTypes.map((t) => `WHEN track_name = '${t.trackTypeName.replaceAll("'", "''")}' THEN '${t.id}'`).join(" ")} END`;

    const pipelines = questionPipelines(pages, features);
    const sqls = [
      `SELECT epoch_ms(date_trunc('day', occurred_at))::DOUBLE AS day, count(DISTINCT visitor_id) AS visitors FROM events WHERE ${where(30)} AND type IN ('load','click','focus','submit','change','track') GROUP BY 1 ORDER BY 1`,
      `SELECT page AS "pageId", count(*) AS views FROM (SELECT ${pageCase} AS page FROM events WHERE ${where(7)} AND type = 'load') WHERE page IS NOT NULL GROUP BY page ORDER BY views DESC, page LIMIT 5`,
      `SELECT account_id AS "accountId", feature AS "featureId", count(*) AS clicks FROM (SELECT account_id, ${featureCase} AS feature FROM events WHERE ${where(30)} AND type = 'click') WHERE feature IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
      `SELECT ${trackCase} AS "trackTypeId", count(*) AS events FROM events WHERE ${where(30)} AND type = 'track' GROUP BY 1 ORDER BY 1`,
      `SELECT count(*) AS count FROM (SELECT visitor_id FROM events WHERE ${where(7)} AND type = 'load' AND regexp_matches(url, '^https?://[^/]+/section-1(/.*)?$') INTERSECT SELECT visitor_id FROM events WHERE ${where(7)} AND type = 'click' AND regexp_matches(element_path, '(^| < )BUTTON#btn-1(\\.| |$)'))`,
    ];
    const questions: Question[] = pipelines.map((q, i) => ({ ...q, sql: sqls[i] as string }));

    const lines: string[] = [];
    const verdicts: string[] = [];
    for (const q of questions) {
      const body = { response: { mimeType: "application/json" }, request: { pipeline: q.pipeline } };
      const viaApi = ((await api("POST", "/api/v1/aggregation", body)).results as Row[]) ?? [];
      const viaSql = await run(q.sql);
      if (q.normalise(viaApi) !== q.normalise(viaSql))
        throw new Error(
          `${q.name}: the API and the SQL disagree:\n${q.normalise(viaApi).slice(0, 400)}\n${q.normalise(viaSql).slice(0, 400)}`,
        );
      const apiMs: number[] = [];
      const sqlMs: number[] = [];
      const ratios: number[] = [];
      for (let r = 0; r < rounds; r++) {
        // Alternate which goes first, so neither always runs on a warmer cache.
        const order = r % 2 === 0 ? ["api", "sql"] : ["sql", "api"];
        const took: Record<string, number> = {};
        for (const which of order) {
          const t0 = performance.now();
          if (which === "api") await api("POST", "/api/v1/aggregation", body);
          else await run(q.sql);
          took[which] = performance.now() - t0;
        }
        apiMs.push(took.api as number);
        sqlMs.push(took.sql as number);
        ratios.push((took.api as number) / (took.sql as number));
      }
      const ratio = median(ratios);
      const apiMedian = median(apiMs);
      lines.push(
        `| ${q.name} | ${viaApi.length} | ${apiMedian.toFixed(0)} ms | ${median(sqlMs).toFixed(0)} ms | ${ratio.toFixed(2)}× |`,
      );
      verdicts.push(`${q.name}: ${ratio <= 1.3 && apiMedian < 500 ? "met" : "NOT met"}`);
      process.stderr.write(`  ${q.name}: ${apiMedian.toFixed(0)} ms, ${ratio.toFixed(2)}×\n`);
    }

    // A new rule over everything stored: from its creation to an answer that counts its page's events.
    const t0 = performance.now();
    const page = (await api("POST", "/api/v1/page", { name: "Items 3", rules: ["//*/section-*/item-3"] }))
      .id as string;
    const counted = (await api("POST", "/api/v1/aggregation", {
      request: {
        pipeline: [
          { source: { pageEvents: { pageId: page }, timeSeries: days(30) } },
          { reduce: { views: { sum: "numEvents" } } },
        ],
      },
    })) as { results: { views: number }[] };
    const ruleSeconds = (performance.now() - t0) / 1000;
    const views = counted.results[0]?.views ?? 0;
    if (views === 0) throw new Error("the new page counted no views");

    return [
      `### Aggregation at ${eventCount.toLocaleString("en")} events (${visitors.toLocaleString("en")} visitors, 30 days; ${rounds} rounds each, API and SQL alternating; ${describeMachine()}, ${cpus().length} cores)`,
      "",
      `Generated in ${generateSeconds.toFixed(1)} s. Through \`POST /api/v1/aggregation\` over HTTP against the same question as hand-written SQL on the same store, in the same process (medians; the ratio is the median of per-round ratios).`,
      "",
      "| Question | Rows | API | Hand-written SQL | API / SQL |",
      "|---|---|---|---|---|",
      ...lines,
      "",
      `A new page rule over the stored events, from its creation to an answer counting them (${views.toLocaleString("en")} views): ${ruleSeconds.toFixed(2)} s (goal < 5 s).`,
      "",
      `Goal each ≤ 1.3× and < 500 ms: ${verdicts.join("; ")}.`,
    ].join("\n");
  } finally {
    await cairn.shutdown();
    if (keep) process.stderr.write(`  kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
