import type { AdminAnswer, AdminBody } from "@cairn/client/session";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, must, mustSucceed } from "../api/api.ts";
import { queryKeys, useUsers, whoIs } from "../api/resources.ts";
import { atLeast, useSession } from "../api/session.tsx";
import { ConfirmButton } from "../ui/confirm-button.tsx";
import { Page, Panel } from "../ui/page.tsx";
import { ScrollRegion } from "../ui/scroll-region.tsx";
import { Empty, ErrorNote, QueryView } from "../ui/states.tsx";
import { Time } from "../ui/time.tsx";

type Rule = AdminAnswer<"/api/admin/exclude-rules", "get">["rules"][number];
type NewRule = AdminBody<"/api/admin/exclude-rules", "post">;

const kinds: { value: Rule["kind"]; label: string; example: string }[] = [
  { value: "ip", label: "IP address or range", example: "203.0.113.0/24" },
  { value: "visitor", label: "Visitor id", example: "qa-*" },
  { value: "account", label: "Account id", example: "internal-test" },
  { value: "host", label: "Server name", example: "staging.example.com" },
];

function AddRule() {
  const queryClient = useQueryClient();
  const [rule, setRule] = useState<NewRule>({ kind: "visitor", pattern: "" });
  const example = kinds.find((kind) => kind.value === rule.kind)?.example;
  const add = useMutation({
    mutationFn: () => must(api.POST("/api/admin/exclude-rules", { body: rule })),
    onSuccess: async () => {
      setRule({ kind: rule.kind, pattern: "" });
      await queryClient.invalidateQueries({ queryKey: queryKeys.excludeRules });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Add an Exclude List rule">
      <label>
        Kind
        <select value={rule.kind} onChange={(event) => setRule({ ...rule, kind: event.target.value })}>
          {kinds.map((kind) => (
            <option key={kind.value} value={kind.value}>
              {kind.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Pattern
        <input
          required
          value={rule.pattern}
          placeholder={example}
          onChange={(event) => setRule({ ...rule, pattern: event.target.value })}
        />
      </label>
      <label>
        Note (optional)
        <input value={rule.note ?? ""} onChange={(event) => setRule({ ...rule, note: event.target.value })} />
      </label>
      <button type="submit" className="primary" disabled={add.isPending}>
        Add rule
      </button>
      {add.isError ? <ErrorNote error={add.error} /> : null}
    </form>
  );
}

/** Settings → Exclude List: traffic left out of analytics from now on (internal users, test accounts, offices). */
export function ExcludeList() {
  const session = useSession();
  const queryClient = useQueryClient();
  const canManage = atLeast(session, "admin");
  const users = useUsers(atLeast(session, "member"));
  const rules = useQuery({
    queryKey: queryKeys.excludeRules,
    queryFn: async () => (await must(api.GET("/api/admin/exclude-rules"))).rules,
  });
  return (
    <Page
      title="Exclude List"
      intro="Events that match a rule when they arrive are kept but left out of analytics, as in Pendo; the dashboard's switch shows them."
    >
      <Panel title="Rules">
        {canManage ? <AddRule /> : null}
        <QueryView query={rules} what="the Exclude List">
          {(list) =>
            list.length === 0 ? (
              <Empty title="Nothing is excluded.">
                <p>Add your office's addresses or your test accounts so they do not count.</p>
              </Empty>
            ) : (
              <ScrollRegion label="Exclude List rules">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Kind</th>
                      <th scope="col">Pattern</th>
                      <th scope="col">Note</th>
                      <th scope="col">Added by</th>
                      <th scope="col">Added</th>
                      {canManage ? <th scope="col">Actions</th> : null}
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((rule: Rule) => (
                      <tr key={rule.id}>
                        <td>{rule.kind}</td>
                        <td>
                          <code>{rule.pattern}</code>
                        </td>
                        <td>{rule.note}</td>
                        <td>{whoIs(users.data, rule.createdBy)}</td>
                        <td>
                          <Time at={rule.createdAt} />
                        </td>
                        {canManage ? (
                          <td>
                            <ConfirmButton
                              label="Remove"
                              danger
                              question={`Remove the rule ${rule.pattern}?`}
                              detail={<p>Events that arrive from now on are counted again.</p>}
                              confirmLabel="Remove rule"
                              onConfirm={async () => {
                                await mustSucceed(
                                  api.DELETE("/api/admin/exclude-rules/{id}", {
                                    params: { path: { id: rule.id } },
                                  }),
                                );
                                await queryClient.invalidateQueries({ queryKey: queryKeys.excludeRules });
                              }}
                            />
                          </td>
                        ) : null}
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
