import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import { api, must } from "../api/api.ts";
import { queryKeys, useUsers, whoIs } from "../api/resources.ts";
import { Page, Panel } from "../ui/page.tsx";
import { ScrollRegion } from "../ui/scroll-region.tsx";
import { Empty, QueryView } from "../ui/states.tsx";
import { Time } from "../ui/time.tsx";

/** Settings → Audit Log: who changed what and when, newest first; filter by target id or by action. */
export function AuditLog() {
  const [target, setTarget] = useState("");
  const [action, setAction] = useState("");
  const deferredTarget = useDeferredValue(target.trim());
  const users = useUsers();
  const records = useQuery({
    queryKey: [...queryKeys.audit, deferredTarget],
    queryFn: async () =>
      (
        await must(
          api.GET("/api/admin/audit", {
            params: { query: { limit: 500, ...(deferredTarget ? { target: deferredTarget } : {}) } },
          }),
        )
      ).records,
    placeholderData: keepPreviousData,
  });
  return (
    <Page
      title="Audit Log"
      intro="Every change to keys, apps, users, settings and definitions, newest first."
    >
      <Panel title="Records">
        <search className="inline-form">
          <label>
            Target id
            <input
              value={target}
              placeholder="a key, app or user id"
              onChange={(e) => setTarget(e.target.value)}
            />
          </label>
          <label>
            Action contains
            <input value={action} placeholder="key.revoke" onChange={(e) => setAction(e.target.value)} />
          </label>
        </search>
        <QueryView query={records} what="the audit log">
          {(list) => {
            const shown = list.filter((record) => record.action.includes(action.trim()));
            if (shown.length === 0) return <Empty title="No records match." />;
            return (
              <ScrollRegion label="Audit records">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Who</th>
                      <th scope="col">Action</th>
                      <th scope="col">Target</th>
                      <th scope="col">Address</th>
                      <th scope="col">Detail</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((record) => (
                      <tr key={record.id}>
                        <td>
                          <Time at={record.at} />
                        </td>
                        <td>{whoIs(users.data, record.actor)}</td>
                        <td>
                          <code>{record.action}</code>
                        </td>
                        <td>
                          <code>{record.target}</code>
                        </td>
                        <td>{record.ip}</td>
                        <td className="detail">
                          {Object.keys(record.detail).length > 0 ? JSON.stringify(record.detail) : ""}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            );
          }}
        </QueryView>
      </Panel>
    </Page>
  );
}
