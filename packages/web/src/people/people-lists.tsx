import { useDeferredValue, useId, useState } from "react";
import { Link } from "wouter";
import { Page, Panel } from "../ui/page.tsx";
import { ScrollRegion } from "../ui/scroll-region.tsx";
import { Empty, QueryView } from "../ui/states.tsx";
import { Time } from "../ui/time.tsx";
import { type AccountRow, pageSize, useAccounts, useVisitors, type VisitorRow } from "./people-queries.ts";

function SearchBox(props: { label: string; value: string; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <search className="inline-form">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="search"
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </search>
  );
}

/** A table of visitors; also an account's visitors on its profile. */
export function VisitorTable(props: { rows: readonly VisitorRow[] }) {
  return (
    <ScrollRegion label="Visitors">
      <table>
        <thead>
          <tr>
            <th scope="col">Visitor</th>
            <th scope="col">Account</th>
            <th scope="col">First visit</th>
            <th scope="col">Last visit</th>
            <th scope="col">Browser</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.visitorId}>
              <td>
                <Link href={`/visitors/${encodeURIComponent(row.visitorId)}`}>{row.visitorId}</Link>
              </td>
              <td>
                {row.accountId ? (
                  <Link href={`/accounts/${encodeURIComponent(row.accountId)}`}>{row.accountId}</Link>
                ) : null}
              </td>
              <td>
                <Time at={row.firstVisit} />
              </td>
              <td>
                <Time at={row.lastVisit} />
              </td>
              <td>{row.browser}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

const moreHint = `The ${pageSize} most recently seen are shown: search to find others.`;

export function Visitors() {
  const [search, setSearch] = useState("");
  const deferred = useDeferredValue(search);
  const visitors = useVisitors(deferred);
  return (
    <Page title="Visitors" intro="Everyone the snippet has seen, most recent first.">
      <Panel title="Visitors">
        <SearchBox label="Search by visitor id" value={search} onChange={setSearch} />
        <QueryView query={visitors} what="visitors">
          {(rows) =>
            rows.length === 0 ? (
              <Empty title={deferred ? `No visitor id contains "${deferred}".` : "No visitors yet."}>
                {deferred ? null : (
                  <p>
                    Visitors appear once the snippet sends their first event (
                    <Link href="/settings/install">Install Settings</Link>).
                  </p>
                )}
              </Empty>
            ) : (
              <>
                <VisitorTable rows={rows} />
                {rows.length === pageSize ? <p className="muted">{moreHint}</p> : null}
              </>
            )
          }
        </QueryView>
      </Panel>
    </Page>
  );
}

export function Accounts() {
  const [search, setSearch] = useState("");
  const deferred = useDeferredValue(search);
  const accounts = useAccounts(deferred);
  return (
    <Page title="Accounts" intro="The customer accounts your visitors belong to, most recent first.">
      <Panel title="Accounts">
        <SearchBox label="Search by account id" value={search} onChange={setSearch} />
        <QueryView query={accounts} what="accounts">
          {(rows: AccountRow[]) =>
            rows.length === 0 ? (
              <Empty title={deferred ? `No account id contains "${deferred}".` : "No accounts yet."}>
                {deferred ? null : <p>Accounts appear when the snippet's initialize call names one.</p>}
              </Empty>
            ) : (
              <ScrollRegion label="Accounts">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Account</th>
                      <th scope="col">First visit</th>
                      <th scope="col">Last visit</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => (
                      <tr key={row.accountId}>
                        <td>
                          <Link href={`/accounts/${encodeURIComponent(row.accountId)}`}>{row.accountId}</Link>
                        </td>
                        <td>
                          <Time at={row.firstVisit} />
                        </td>
                        <td>
                          <Time at={row.lastVisit} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            )
          }
        </QueryView>
      </Panel>
    </Page>
  );
}
