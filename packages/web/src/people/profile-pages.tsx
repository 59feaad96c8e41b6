import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link, useParams } from "wouter";
import { api, must } from "../api/api.ts";
import { Page, Panel } from "../ui/page.tsx";
import { ScrollRegion } from "../ui/scroll-region.tsx";
import { Empty, QueryView } from "../ui/states.tsx";
import { Time } from "../ui/time.tsx";
import { VisitorTable } from "./people-lists.tsx";
import { useVisitors } from "./people-queries.ts";

type Metadata = Record<string, unknown>;

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** One metadata group (auto, agent, custom) as a list of fields. */
function MetadataGroup(props: { title: string; fields: Metadata; note: string }) {
  const entries = Object.entries(props.fields);
  return (
    <Panel title={props.title}>
      {entries.length === 0 ? (
        <p className="muted">{props.note}</p>
      ) : (
        <dl className="facts">
          {entries.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>
                {name === "firstvisit" || name === "lastvisit" || name === "lastupdated" ? (
                  <Time at={Number(value)} />
                ) : (
                  show(value)
                )}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </Panel>
  );
}

function Metadata(props: { metadata: { auto: Metadata; agent: Metadata; custom: Metadata } }) {
  return (
    <div className="grid">
      <MetadataGroup title="Visits (auto)" fields={props.metadata.auto} note="Nothing recorded yet." />
      <MetadataGroup
        title="From the snippet (agent)"
        fields={props.metadata.agent}
        note="Fields passed to pendo.initialize appear here."
      />
      <MetadataGroup
        title="Custom"
        fields={props.metadata.custom}
        note="Set with the v1 metadata API (POST /api/v1/metadata/…/custom/value)."
      />
    </div>
  );
}

const dayMs = 24 * 60 * 60 * 1000;
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "full" });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });

function startOfLocalDay(at: number): number {
  const day = new Date(at);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}

/** The visitor's history of one day in the viewer's time zone: pages, untagged URLs, features, guides. */
function RecentActivity(props: { visitorId: string; lastVisit: number | null }) {
  const [day, setDay] = useState(() => startOfLocalDay(props.lastVisit ?? Date.now()));
  const history = useQuery({
    queryKey: ["visitor-history", props.visitorId, day],
    queryFn: () =>
      must(
        api.GET("/api/admin/visitors/{visitorId}/history", {
          params: { path: { visitorId: props.visitorId }, query: { starttime: String(day) } },
        }),
      ),
  });
  return (
    <Panel
      title="Recent activity"
      actions={
        <div className="row">
          <button type="button" onClick={() => setDay(startOfLocalDay(day - 1))}>
            ← Day before
          </button>
          <span>{dayFormat.format(day)}</span>
          <button
            type="button"
            disabled={day + dayMs > Date.now()}
            onClick={() => setDay(startOfLocalDay(day + dayMs * 1.5))}
          >
            Day after →
          </button>
        </div>
      }
    >
      <QueryView query={history} what="the visitor's history">
        {(entries) =>
          entries.length === 0 ? (
            <Empty title="Nothing on this day." />
          ) : (
            <ScrollRegion label="Activity of the day">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">What</th>
                    <th scope="col">Where</th>
                    <th scope="col">For</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((entry) => (
                    <tr key={`${entry.ts}-${entry.type}-${entry.pageId ?? entry.featureId ?? entry.uri}`}>
                      <td>{timeFormat.format(entry.ts)}</td>
                      <td>{entry.type}</td>
                      <td className="detail">
                        {entry.uri ?? entry.untaggedUrl ?? entry.pageId ?? entry.featureId ?? entry.guideId}
                      </td>
                      <td>{Math.round(entry.duration / 1000)} s</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          )
        }
      </QueryView>
    </Panel>
  );
}

function timeField(auto: Metadata, name: string): number | null {
  const value = auto[name];
  return typeof value === "number" ? value : null;
}

/** First and last visit from the `auto` group (and, for a visitor, their account). */
function VisitFacts(props: { auto: Metadata; children?: ReactNode }) {
  return (
    <dl className="totals">
      <div>
        <dt>First visit</dt>
        <dd className="small">
          <Time at={timeField(props.auto, "firstvisit")} />
        </dd>
      </div>
      <div>
        <dt>Last visit</dt>
        <dd className="small">
          <Time at={timeField(props.auto, "lastvisit")} />
        </dd>
      </div>
      {props.children}
    </dl>
  );
}

export function VisitorProfile() {
  const { id = "" } = useParams<{ id: string }>();
  const visitorId = decodeURIComponent(id);
  const visitor = useQuery({
    queryKey: ["visitor", visitorId],
    queryFn: () => must(api.GET("/api/admin/visitors/{visitorId}", { params: { path: { visitorId } } })),
  });
  return (
    <Page title={`Visitor ${visitorId}`} intro={<Link href="/visitors">← Visitors</Link>}>
      <QueryView query={visitor} what="the visitor">
        {(body) => {
          const auto = body.metadata.auto as Metadata;
          const accountId = typeof auto.accountid === "string" ? auto.accountid : null;
          const lastVisit = timeField(auto, "lastvisit");
          return (
            <>
              <VisitFacts auto={auto}>
                <div>
                  <dt>Account</dt>
                  <dd className="small">
                    {accountId ? (
                      <Link href={`/accounts/${encodeURIComponent(accountId)}`}>{accountId}</Link>
                    ) : (
                      "none"
                    )}
                  </dd>
                </div>
              </VisitFacts>
              <RecentActivity visitorId={visitorId} lastVisit={lastVisit} />
              <Metadata metadata={body.metadata as { auto: Metadata; agent: Metadata; custom: Metadata }} />
            </>
          );
        }}
      </QueryView>
    </Page>
  );
}

export function AccountProfile() {
  const { id = "" } = useParams<{ id: string }>();
  const accountId = decodeURIComponent(id);
  const account = useQuery({
    queryKey: ["account", accountId],
    queryFn: () => must(api.GET("/api/admin/accounts/{accountId}", { params: { path: { accountId } } })),
  });
  const visitors = useVisitors("", accountId);
  return (
    <Page title={`Account ${accountId}`} intro={<Link href="/accounts">← Accounts</Link>}>
      <QueryView query={account} what="the account">
        {(body) => {
          const auto = body.metadata.auto as Metadata;
          return (
            <>
              <VisitFacts auto={auto} />
              <Panel title="Visitors of this account">
                <QueryView query={visitors} what="the account's visitors">
                  {(rows) =>
                    rows.length === 0 ? (
                      <Empty title="No visitor has come with this account yet." />
                    ) : (
                      <VisitorTable rows={rows} />
                    )
                  }
                </QueryView>
              </Panel>
              <Metadata metadata={body.metadata as { auto: Metadata; agent: Metadata; custom: Metadata }} />
            </>
          );
        }}
      </QueryView>
    </Page>
  );
}
