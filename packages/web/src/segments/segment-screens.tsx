import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useMemo, useState } from "react";
import { Link, useLocation, useParams } from "wouter";
import { api, must, mustSucceed } from "../api/api.ts";
import { atLeast, useSession } from "../api/session.tsx";
import { ConfirmButton } from "../ui/confirm-button.tsx";
import { Page, Panel } from "../ui/page.tsx";
import { ScrollRegion } from "../ui/scroll-region.tsx";
import { Empty, ErrorNote, QueryView } from "../ui/states.tsx";
import { Time } from "../ui/time.tsx";
import { newRow, RulePreview, RuleRows } from "./segment-builder.tsx";
import { segmentKeys, useRuleFields, useSegment, useSegmentList } from "./segment-queries.ts";
import { type RuleRow, ruleOf, ruleText } from "./segment-rule.ts";

const numbers = new Intl.NumberFormat();
const back = <Link href="/segments">← Segments</Link>;

/** Segments: named groups of visitors, for guide targeting and the aggregation's segment stage. */
export function SegmentsList() {
  const session = useSession();
  const segments = useSegmentList();
  return (
    <Page
      title="Segments"
      intro="Named groups of visitors: a list of ids, or the visitors a rule on their metadata matches. A guide shows to one."
      actions={atLeast(session, "member") ? <Link href="/segments/new">+ New segment</Link> : undefined}
    >
      <Panel title="All segments">
        <QueryView query={segments} what="segments">
          {(list) =>
            list.length === 0 ? (
              <Empty title="No segments yet.">
                <p>Build one from a rule such as “metadata.custom.plan equals pro”, or paste visitor ids.</p>
              </Empty>
            ) : (
              <ScrollRegion label="Segments">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col" className="number">
                        Visitors
                      </th>
                      <th scope="col">Chosen by</th>
                      <th scope="col">Updated</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((segment) => (
                      <tr key={segment.id}>
                        <td>
                          <Link href={`/segments/${segment.id}`}>{segment.name}</Link>
                        </td>
                        <td className="number">{numbers.format(segment.visitorCount)}</td>
                        <td className="rule-cell">
                          {segment.rule ? (
                            <>
                              <span className="badge">rule</span> <code>{ruleText(segment.rule)}</code>
                            </>
                          ) : (
                            <span className="badge">list</span>
                          )}
                        </td>
                        <td>
                          <Time at={segment.lastUpdatedAt} />
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

function idsOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** A new segment: built from a rule (with its live preview) or from pasted visitor ids. */
export function NewSegment() {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const fields = useRuleFields();
  const nameId = useId();
  const idsId = useId();
  const [name, setName] = useState("");
  const [mode, setMode] = useState<"rule" | "list">("rule");
  const [rows, setRows] = useState<RuleRow[]>(() => [newRow()]);
  const [ids, setIds] = useState("");
  const types = useMemo(() => new Map((fields.data ?? []).map((f) => [f.field, f.type])), [fields.data]);
  const rule = useMemo(() => ruleOf(rows, types), [rows, types]);
  const save = useMutation({
    mutationFn: () =>
      must(
        api.POST("/api/admin/segments", {
          body: mode === "rule" ? { name, rule } : { name, visitors: idsOf(ids) },
        }),
      ),
    onSuccess: async (segment) => {
      await queryClient.invalidateQueries({ queryKey: segmentKeys.list });
      navigate(`/segments/${segment.id}`);
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <Page title="New segment" intro={back}>
      <form onSubmit={submit}>
        <Panel title="Segment">
          <div className="stack">
            <label htmlFor={nameId}>Name</label>
            <input id={nameId} required value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <fieldset className="choice">
            <legend>Visitors</legend>
            <label>
              <input type="radio" name="mode" checked={mode === "rule"} onChange={() => setMode("rule")} />{" "}
              Those a rule matches
            </label>
            <label>
              <input type="radio" name="mode" checked={mode === "list"} onChange={() => setMode("list")} /> A
              list of visitor ids
            </label>
          </fieldset>
          {mode === "rule" ? (
            <>
              <RuleRows rows={rows} onChange={setRows} />
              <RulePreview rule={rule} />
              <p className="muted">
                The segment keeps the visitors the rule matches when you save it; refresh it on its page to
                take in visitors who match later.
              </p>
            </>
          ) : (
            <div className="stack">
              <label htmlFor={idsId}>Visitor ids, one a line</label>
              <textarea
                id={idsId}
                rows={8}
                value={ids}
                spellCheck={false}
                onChange={(e) => setIds(e.target.value)}
              />
              <p className="muted">{numbers.format(new Set(idsOf(ids)).size)} distinct ids.</p>
            </div>
          )}
          {save.isError ? <ErrorNote error={save.error} /> : null}
          <div className="row">
            <button type="submit" className="primary" disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Save segment"}
            </button>
            <Link href="/segments">Cancel</Link>
          </div>
        </Panel>
      </form>
    </Page>
  );
}

/** One segment: its members count, its rule, Refresh (for a rule) and Delete. */
export function SegmentPage() {
  const { id = "" } = useParams<{ id: string }>();
  const session = useSession();
  const segment = useSegment(id);
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const canManage = atLeast(session, "member");
  const refresh = useMutation({
    mutationFn: () => must(api.POST("/api/admin/segments/{id}/refresh", { params: { path: { id } } })),
    onSuccess: async (fresh) => {
      queryClient.setQueryData(segmentKeys.one(id), fresh);
      await queryClient.invalidateQueries({ queryKey: segmentKeys.list, exact: true });
    },
  });
  return (
    <QueryView query={segment} what="the segment">
      {(found) => (
        <Page title={found.name} intro={back}>
          <Panel
            title="Visitors"
            actions={
              canManage ? (
                <div className="row">
                  {found.rule ? (
                    <button type="button" onClick={() => refresh.mutate()} disabled={refresh.isPending}>
                      {refresh.isPending ? "Refreshing…" : "Refresh"}
                    </button>
                  ) : null}
                  <ConfirmButton
                    label="Delete"
                    danger
                    question={`Delete the segment ${found.name}?`}
                    detail={<p>A guide shown to it then reaches nobody: choose another segment for it.</p>}
                    confirmLabel="Delete segment"
                    onConfirm={async () => {
                      await mustSucceed(api.DELETE("/api/admin/segments/{id}", { params: { path: { id } } }));
                      queryClient.removeQueries({ queryKey: segmentKeys.one(id) });
                      await queryClient.invalidateQueries({ queryKey: segmentKeys.list, exact: true });
                      navigate("/segments");
                    }}
                  />
                </div>
              ) : undefined
            }
          >
            <dl className="facts">
              <dt>Members</dt>
              <dd data-testid="segment-members">{numbers.format(found.visitorCount)}</dd>
              <dt>Chosen by</dt>
              <dd>{found.rule ? <code>{ruleText(found.rule)}</code> : "a list of visitor ids"}</dd>
              <dt>Updated</dt>
              <dd>
                <Time at={found.lastUpdatedAt} />
              </dd>
              <dt>Id</dt>
              <dd>
                <code>{found.id}</code>
              </dd>
            </dl>
            {found.rule ? (
              <p className="muted">
                Its members are the visitors the rule matched when it was saved or last refreshed, not a live
                count: refresh it to take in visitors who match now.
              </p>
            ) : null}
            {refresh.isError ? <ErrorNote error={refresh.error} /> : null}
          </Panel>
        </Page>
      )}
    </QueryView>
  );
}
