import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "wouter";
import { Page, Panel } from "../ui/page.tsx";
import { ScrollRegion } from "../ui/scroll-region.tsx";
import { Empty, QueryView } from "../ui/states.tsx";
import { CountsCells, type TaggedKind, useTaggedCounts } from "./tagged-counts.tsx";

export interface TaggedRow {
  readonly id: string;
  readonly name: string;
  readonly detail: ReactNode;
}

/** Pages, Features, Track Events: each object with its last 7 days and the change against the 7 before. */
export function TaggedList<Item>(props: {
  kind: TaggedKind;
  title: string;
  intro: string;
  items: UseQueryResult<Item[]>;
  rowOf: (item: Item) => TaggedRow;
  detailHeading: string;
  hrefOf?: (id: string) => string;
  actions?: ReactNode;
  empty: ReactNode;
}) {
  const counts = useTaggedCounts(props.kind);
  return (
    <Page title={props.title} intro={props.intro} actions={props.actions}>
      <Panel title={`${props.title}, last 7 days`}>
        <QueryView query={props.items} what={props.title.toLowerCase()}>
          {(items) =>
            items.length === 0 ? (
              <Empty title={`No ${props.title.toLowerCase()} yet.`}>{props.empty}</Empty>
            ) : (
              <ScrollRegion label="Counts">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">{props.detailHeading}</th>
                      <th scope="col">Events</th>
                      <th scope="col">Visitors</th>
                      <th scope="col">vs. the 7 days before</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map(props.rowOf).map((row) => (
                      <tr key={row.id}>
                        <td>
                          {props.hrefOf ? <Link href={props.hrefOf(row.id)}>{row.name}</Link> : row.name}
                        </td>
                        <td className="detail">{row.detail}</td>
                        <CountsCells counts={counts.data?.get(row.id)} />
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
