import { type ReactNode, useId, useMemo } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { useApps } from "../api/resources.ts";
import { InstallSnippet } from "../settings/install-settings.tsx";
import { useLastEvent } from "../settings/last-event-check.tsx";
import { Page, Panel } from "../ui/page.tsx";
import { ScrollRegion } from "../ui/scroll-region.tsx";
import { Empty, QueryView } from "../ui/states.tsx";
import { Switch } from "../ui/switch.tsx";
import type { DayRange } from "./aggregate.ts";
import { LazyLineChart, loadChart } from "./chart-loader.tsx";
import { type DailyRow, type TopRow, useDaily, useTop, useTotals } from "./dashboard-queries.ts";
import {
  dayLabel,
  dayRangeOf,
  daysOf,
  presets,
  type RangeChoice,
  rangeFromSearch,
  searchOfRange,
} from "./range.ts";

const numbers = new Intl.NumberFormat();

function RangeControls(props: { choice: RangeChoice; showExcluded: boolean }) {
  const [, navigate] = useLocation();
  const rangeId = useId();
  const go = (choice: RangeChoice, showExcluded: boolean) =>
    navigate(`/?${searchOfRange(choice, showExcluded)}`);
  const today = new Date().toISOString().slice(0, 10);
  const custom = "from" in props.choice ? props.choice : null;
  return (
    <div className="range-controls">
      <label htmlFor={rangeId}>Date range</label>
      <select
        id={rangeId}
        value={"preset" in props.choice ? props.choice.preset : "custom"}
        onChange={(event) =>
          go(
            event.target.value === "custom"
              ? { from: new Date(Date.now() - 13 * 86_400_000).toISOString().slice(0, 10), to: today }
              : { preset: event.target.value },
            props.showExcluded,
          )
        }
      >
        {presets.map((preset) => (
          <option key={preset.id} value={preset.id}>
            {preset.label}
          </option>
        ))}
        <option value="custom">Custom…</option>
      </select>
      {custom ? (
        <>
          <label>
            From
            <input
              type="date"
              value={custom.from}
              max={custom.to}
              onChange={(event) => go({ ...custom, from: event.target.value }, props.showExcluded)}
            />
          </label>
          <label>
            To
            <input
              type="date"
              value={custom.to}
              min={custom.from}
              onChange={(event) => go({ ...custom, to: event.target.value }, props.showExcluded)}
            />
          </label>
        </>
      ) : null}
      <Switch checked={props.showExcluded} onChange={(checked) => go(props.choice, checked)}>
        Show excluded traffic
      </Switch>
    </div>
  );
}

function Totals(props: { range: DayRange; showExcluded: boolean }) {
  const totals = useTotals(props.range, props.showExcluded);
  return (
    <QueryView query={totals} what="totals">
      {(row) => (
        <dl className="totals">
          <div>
            <dt>Active visitors</dt>
            <dd data-testid="total-visitors">{numbers.format(row?.visitors ?? 0)}</dd>
          </div>
          <div>
            <dt>Active accounts</dt>
            <dd data-testid="total-accounts">{numbers.format(row?.accounts ?? 0)}</dd>
          </div>
          <div>
            <dt>Events</dt>
            <dd data-testid="total-events">{numbers.format(row?.events ?? 0)}</dd>
          </div>
        </dl>
      )}
    </QueryView>
  );
}

function ActivityChart(props: { range: DayRange; rows: DailyRow[] }) {
  const days = useMemo(() => daysOf(props.range), [props.range]);
  const series = useMemo(() => {
    const byDay = new Map(props.rows.map((row) => [row.day, row]));
    return [
      { label: "Visitors", values: days.map((day) => byDay.get(day)?.visitors ?? 0) },
      { label: "Accounts", values: days.map((day) => byDay.get(day)?.accounts ?? 0) },
    ];
  }, [days, props.rows]);
  return (
    <>
      <LazyLineChart days={days} series={series} label="Active visitors and accounts per day" />
      <details>
        <summary>Show the numbers</summary>
        <ScrollRegion label="Visitors and accounts per day">
          <table>
            <thead>
              <tr>
                <th scope="col">Day (UTC)</th>
                <th scope="col">Visitors</th>
                <th scope="col">Accounts</th>
              </tr>
            </thead>
            <tbody>
              {days.map((day, index) => (
                <tr key={day}>
                  <td>{dayLabel.format(day)}</td>
                  <td>{series[0]?.values[index]}</td>
                  <td>{series[1]?.values[index]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </details>
    </>
  );
}

function TopList(props: { rows: TopRow[]; what: string; emptyHint: ReactNode }) {
  if (props.rows.length === 0)
    return (
      <Empty title={`No ${props.what} in this range.`}>
        <p>{props.emptyHint}</p>
      </Empty>
    );
  const most = Math.max(...props.rows.map((row) => row.events), 1);
  return (
    <ol className="bars">
      {props.rows.map((row) => (
        <li key={row.id}>
          <span className="bar-label">{row.name ?? row.id}</span>
          <span className="bar" style={{ width: `${(row.events / most) * 100}%` }} aria-hidden="true" />
          <span className="bar-value">
            {numbers.format(row.events)} events · {numbers.format(row.visitors)} visitors
          </span>
        </li>
      ))}
    </ol>
  );
}

function Top(props: {
  kind: "page" | "feature" | "trackType";
  title: string;
  what: string;
  hint: ReactNode;
  range: DayRange;
  showExcluded: boolean;
}) {
  const top = useTop(props.kind, props.range, props.showExcluded);
  return (
    <Panel title={props.title}>
      <QueryView query={top} what={props.what}>
        {(rows) => <TopList rows={rows} what={props.what} emptyHint={props.hint} />}
      </QueryView>
    </Panel>
  );
}

/** Before the first event ever arrives, the dashboard shows the default app's snippet and waits for it. */
function WaitingForFirstEvent() {
  const apps = useApps();
  const app = apps.data?.find((candidate) => candidate.isDefault) ?? apps.data?.[0];
  const lastEvent = useLastEvent(app?.id);
  if (!app || !lastEvent.data || lastEvent.data.lastEventAt !== null) return null;
  return (
    <Panel title="Waiting for the first event">
      <p>Nothing has arrived yet. Install the snippet, load a page, and this dashboard fills in.</p>
      <InstallSnippet app={app} />
    </Panel>
  );
}

/** Home: active visitors and accounts per day, top pages, features and track events over a range. */
export function Dashboard() {
  // The chart's code comes in while the aggregations run.
  loadChart();
  const search = useSearch();
  const choice = useMemo(() => rangeFromSearch(search), [search]);
  const showExcluded = new URLSearchParams(search).get("excluded") === "show";
  const range = useMemo(() => dayRangeOf(choice), [choice]);
  const daily = useDaily(range, showExcluded);
  return (
    <Page title="Dashboard" actions={<RangeControls choice={choice} showExcluded={showExcluded} />}>
      <Totals range={range} showExcluded={showExcluded} />
      <QueryView query={daily} what="activity">
        {(rows) => (
          <>
            {rows.length === 0 ? <WaitingForFirstEvent /> : null}
            <Panel title="Active visitors and accounts per day">
              <ActivityChart range={range} rows={rows} />
            </Panel>
          </>
        )}
      </QueryView>
      <div className="grid">
        <Top
          kind="page"
          title="Top pages"
          what="page views"
          hint={
            <>
              <Link href="/pages/new">Tag a page</Link> to count its views, past ones included.
            </>
          }
          range={range}
          showExcluded={showExcluded}
        />
        <Top
          kind="feature"
          title="Top features"
          what="feature clicks"
          hint={
            <>
              <Link href="/features/new">Tag a feature</Link> to count its clicks, past ones included.
            </>
          }
          range={range}
          showExcluded={showExcluded}
        />
        <Top
          kind="trackType"
          title="Track events"
          what="track events"
          hint="Send them with pendo.track() in the page or POST /data/track from a server."
          range={range}
          showExcluded={showExcluded}
        />
      </div>
      <p className="muted">
        Days are UTC days. Excluded traffic comes from the{" "}
        <Link href="/settings/exclude-list">Exclude List</Link>.
      </p>
    </Page>
  );
}
