/**
 * The profile mirror's sync: BENCH_SYNC_VISITORS visitors (and a tenth as many accounts) copied from the profile
 * store (SQLite) into the event store's mirror tables (DuckDB), against reading the same changes from the
 * profile store alone (`changesSince` pages: the floor under a sync, which copies what that read returns).
 * Each round times a first sync into a new event store, the read alone, and a sync after every visitor's custom
 * metadata changed (rows replaced). Medians over BENCH_ROUNDS rounds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { openEventStores, openProfileStore } from "@cairn/server/internals";
import { describeMachine, median } from "./stats.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const visitors = Number(process.env.BENCH_SYNC_VISITORS ?? 100_000);
const accounts = Math.round(visitors / 10);
const batch = 10_000;

const visit = (i: number) => ({
  subscriptionId: "sub_bench",
  visitorId: `visitor-${i}`,
  firstVisit: 1_790_000_000_000 + i,
  lastVisit: 1_790_000_000_000 + i,
  lastAppId: "app_bench",
  lastAccountId: `account-${i % accounts}`,
  lastUserAgent:
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0 Safari/537.36",
  lastBrowserName: "Chrome",
  lastBrowserVersion: "150",
  lastOperatingSystem: "Linux",
  lastServerName: "app.example.com",
  agentMetadata: JSON.stringify({ email: `visitor-${i}@example.com`, role: i % 3 ? "member" : "admin" }),
});

const seconds = (start: number) => (performance.now() - start) / 1000;

export async function profileSync(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "cairn-bench-profile-sync-"));
  try {
    const profiles = await openProfileStore({ engine: "sqlite", file: path.join(dir, "profiles.sqlite") });
    await profiles.migrate();
    let sequence = 0;
    const apply = (patches: Partial<Parameters<typeof profiles.apply>[0]["patches"]>) =>
      profiles.apply({
        patches: { visitors: [], accounts: [], aliases: [], ...patches },
        sequence: ++sequence,
      });
    for (let i = 0; i < visitors; i += batch) {
      await apply({
        visitors: Array.from({ length: Math.min(batch, visitors - i) }, (_, j) => visit(i + j)),
      });
    }
    await apply({
      accounts: Array.from({ length: accounts }, (_, i) => ({
        subscriptionId: "sub_bench",
        accountId: `account-${i}`,
        firstVisit: 1_790_000_000_000,
        lastVisit: 1_790_000_000_000 + i,
        agentMetadata: JSON.stringify({ name: `Account ${i}` }),
      })),
    });
    const rows = visitors + accounts;
    const first: number[] = [];
    const readOnly: number[] = [];
    const replaced: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const events = await openEventStores({
        engine: "duckdb",
        file: path.join(dir, `events-${round}.duckdb`),
      });
      await events.sink.migrate();
      let start = performance.now();
      const copied = await events.profileMirror.sync(profiles);
      first.push(seconds(start));
      if (copied.visitors + copied.accounts !== rows) throw new Error(`copied ${JSON.stringify(copied)}`);

      start = performance.now();
      let cursor = 0;
      for (;;) {
        const page = await profiles.changesSince(cursor, 20_000);
        if (page.visitors.length + page.accounts.length === 0) break;
        cursor = page.cursor;
      }
      readOnly.push(seconds(start));

      for (let i = 0; i < visitors; i += batch) {
        await apply({
          customMetadata: Array.from({ length: Math.min(batch, visitors - i) }, (_, j) => ({
            subscriptionId: "sub_bench",
            kind: "visitor" as const,
            id: `visitor-${i + j}`,
            values: { round, plan: "pro" },
          })),
        });
      }
      start = performance.now();
      const again = await events.profileMirror.sync(profiles);
      replaced.push(seconds(start));
      if (again.visitors !== visitors) throw new Error(`copied ${JSON.stringify(again)} after the change`);
      await events.sink.close();
      process.stderr.write(
        `  round ${round + 1}: first sync ${first.at(-1)?.toFixed(2)} s, read alone ${readOnly.at(-1)?.toFixed(2)} s, replacing sync ${replaced.at(-1)?.toFixed(2)} s\n`,
      );
    }
    await profiles.close();
    const row = (name: string, samples: number[], count: number) =>
      `| ${name} | ${count.toLocaleString("en")} | ${median(samples).toFixed(2)} s | ${Math.round(count / median(samples)).toLocaleString("en")} |`;
    return [
      `### Profile mirror sync (${visitors.toLocaleString("en")} visitors and ${accounts.toLocaleString("en")} accounts, SQLite profile store to DuckDB; ${rounds} rounds, medians; ${describeMachine()}, ${cpus().length} cores)`,
      "",
      "| What | Rows | Time (median) | Rows/s |",
      "|---|---|---|---|",
      row("First sync into a new event store", first, rows),
      row("Sync after every visitor changed (rows replaced)", replaced, visitors),
      row("Baseline: reading the same changes alone (`changesSince`)", readOnly, rows),
      "",
      `A first sync takes ${(median(first) / median(readOnly)).toFixed(2)}× the time of reading its changes.`,
    ].join("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
