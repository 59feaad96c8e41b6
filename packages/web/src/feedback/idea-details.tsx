import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Link, useLocation, useParams } from "wouter";
import { api, must, mustSucceed } from "../api/api.ts";
import { atLeast, useSession } from "../api/session.tsx";
import { ConfirmButton } from "../ui/confirm-button.tsx";
import { Page, Panel } from "../ui/page.tsx";
import { ScrollRegion } from "../ui/scroll-region.tsx";
import { Empty, ErrorNote, QueryView } from "../ui/states.tsx";
import { Time } from "../ui/time.tsx";
import { type IdeaStatus, statuses, statusLabel } from "./idea-queries.ts";

function useIdea(id: string) {
  return useQuery({
    queryKey: ["ideas", "one", id],
    queryFn: () => must(api.GET("/api/admin/ideas/{id}", { params: { path: { id } } })),
  });
}

function StatusChange(props: { id: string; status: IdeaStatus; canManage: boolean }) {
  const queryClient = useQueryClient();
  const selectId = useId();
  const [status, setStatus] = useState<IdeaStatus>(props.status);
  const change = useMutation({
    mutationFn: () =>
      must(api.PATCH("/api/admin/ideas/{id}", { params: { path: { id: props.id } }, body: { status } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["ideas"] }),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate();
  }
  return (
    <form className="inline-form" onSubmit={submit}>
      <div className="stack">
        <label htmlFor={selectId}>Status</label>
        <select
          id={selectId}
          value={status}
          disabled={!props.canManage}
          onChange={(event) => setStatus(event.target.value as IdeaStatus)}
        >
          {statuses.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      {props.canManage ? (
        <button type="submit" className="primary" disabled={change.isPending || status === props.status}>
          Change status
        </button>
      ) : null}
      {change.isError ? <ErrorNote error={change.error} /> : null}
    </form>
  );
}

function Votes(props: { id: string }) {
  const votes = useQuery({
    queryKey: ["ideas", "votes", props.id],
    queryFn: () => must(api.GET("/api/admin/ideas/{id}/votes", { params: { path: { id: props.id } } })),
  });
  return (
    <Panel title="Votes and the accounts behind them">
      <QueryView query={votes} what="votes">
        {(answer) =>
          answer.accounts.results.length === 0 ? (
            <Empty title="No votes yet." />
          ) : (
            <>
              <p>
                {answer.votes.count} want it (weight {answer.votes.quantity}), {answer.votes.notInterested}{" "}
                not interested, from {answer.accounts.total} accounts.
              </p>
              <ScrollRegion label="Votes by account">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Account</th>
                      <th scope="col">Voters</th>
                      <th scope="col">Weight</th>
                      <th scope="col">Not interested</th>
                    </tr>
                  </thead>
                  <tbody>
                    {answer.accounts.results.map((row) => (
                      <tr key={row.account?.id ?? "none"}>
                        <td>
                          {row.account ? (
                            <Link href={`/accounts/${encodeURIComponent(row.account.id)}`}>
                              {row.account.name ?? row.account.id}
                            </Link>
                          ) : (
                            <span className="muted">no account</span>
                          )}
                        </td>
                        <td>{row.voters}</td>
                        <td>{row.quantity}</td>
                        <td>{row.notInterested}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            </>
          )
        }
      </QueryView>
    </Panel>
  );
}

function Comments(props: { id: string; canManage: boolean }) {
  const queryClient = useQueryClient();
  const fieldId = useId();
  const [body, setBody] = useState("");
  const comments = useQuery({
    queryKey: ["ideas", "comments", props.id],
    queryFn: () => must(api.GET("/api/admin/ideas/{id}/comments", { params: { path: { id: props.id } } })),
  });
  const add = useMutation({
    mutationFn: () =>
      must(
        api.POST("/api/admin/ideas/{id}/comments", { params: { path: { id: props.id } }, body: { body } }),
      ),
    onSuccess: async () => {
      setBody("");
      await queryClient.invalidateQueries({ queryKey: ["ideas"] });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }
  return (
    <Panel title="Comments">
      <QueryView query={comments} what="comments">
        {(page) =>
          page.comments.length === 0 ? (
            <Empty title="No comments yet." />
          ) : (
            <ol className="comments">
              {page.comments.map((comment) => (
                <li key={comment.id}>
                  <p className="muted">
                    {comment.teamMember
                      ? `${comment.teamMember.name} (team)`
                      : (comment.user?.name ?? comment.user?.email ?? "someone")}{" "}
                    · <Time at={comment.createdAt} />
                  </p>
                  <p className="text">{comment.text}</p>
                </li>
              ))}
            </ol>
          )
        }
      </QueryView>
      {props.canManage ? (
        <form onSubmit={submit} className="stack">
          <label htmlFor={fieldId}>Add a comment</label>
          <textarea
            id={fieldId}
            rows={3}
            required
            value={body}
            onChange={(event) => setBody(event.target.value)}
          />
          <div className="row">
            <button type="submit" className="primary" disabled={add.isPending}>
              Comment
            </button>
          </div>
          {add.isError ? <ErrorNote error={add.error} /> : null}
        </form>
      ) : null}
    </Panel>
  );
}

function MergeAndDelete(props: { id: string; title: string }) {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const targetId = useId();
  const [target, setTarget] = useState("");
  const others = useQuery({
    queryKey: ["ideas", "merge-targets"],
    queryFn: () => must(api.GET("/api/admin/ideas", { params: { query: { limit: 200, sort: "votes" } } })),
  });
  const choices = (others.data?.ideas ?? []).filter(
    (idea) => idea.id !== props.id && idea.mergedInto === null,
  );
  return (
    <Panel title="Merge or delete">
      <div className="inline-form">
        <div className="stack">
          <label htmlFor={targetId}>Merge into</label>
          <select id={targetId} value={target} onChange={(event) => setTarget(event.target.value)}>
            <option value="">choose an idea…</option>
            {choices.map((idea) => (
              <option key={idea.id} value={idea.id}>
                {idea.title} ({idea.votes.count} votes)
              </option>
            ))}
          </select>
        </div>
        {target ? (
          <ConfirmButton
            label="Merge"
            question={`Merge "${props.title}" into another idea?`}
            detail={<p>Its votes count for the other idea from now on.</p>}
            confirmLabel="Merge"
            onConfirm={async () => {
              await must(
                api.POST("/api/admin/ideas/{id}/merge", {
                  params: { path: { id: props.id } },
                  body: { into: target },
                }),
              );
              await queryClient.invalidateQueries({ queryKey: ["ideas"] });
              navigate(`/ideas/${target}`);
            }}
          />
        ) : null}
        <ConfirmButton
          label="Delete idea"
          danger
          question={`Delete "${props.title}"?`}
          detail={<p>It leaves the board and the Feedback API.</p>}
          confirmLabel="Delete"
          onConfirm={async () => {
            await mustSucceed(api.DELETE("/api/admin/ideas/{id}", { params: { path: { id: props.id } } }));
            await queryClient.invalidateQueries({ queryKey: ["ideas"] });
            navigate("/ideas");
          }}
        />
      </div>
    </Panel>
  );
}

/** One idea: its text, status (and history), the votes and accounts behind it, comments, merge. */
export function IdeaDetails() {
  const { id = "" } = useParams<{ id: string }>();
  const session = useSession();
  const canManage = atLeast(session, "member");
  const idea = useIdea(id);
  return (
    <QueryView query={idea} what="the idea">
      {(answer) => (
        <Page title={answer.title} intro={<Link href="/ideas">← Ideas</Link>}>
          <Panel title="Idea">
            <p className="row">
              <span className={`badge status-${answer.status}`}>{statusLabel(answer.status)}</span>
              <span className="muted">
                from {answer.creator?.name ?? answer.creator?.email ?? "unknown"}
                {answer.creator?.account
                  ? ` (${answer.creator.account.name ?? answer.creator.account.id})`
                  : ""}{" "}
                · <Time at={answer.createdAt} />
              </span>
            </p>
            {answer.mergedInto ? (
              <p className="note">
                Merged into <Link href={`/ideas/${answer.mergedInto}`}>another idea</Link>.
              </p>
            ) : null}
            <p className="text">{answer.details || <span className="muted">No details.</span>}</p>
            <StatusChange key={answer.status} id={answer.id} status={answer.status} canManage={canManage} />
            {answer.statusChanges.length > 0 ? (
              <details>
                <summary>Status history</summary>
                <ul>
                  {answer.statusChanges.map((change) => (
                    <li key={change.at + change.to}>
                      {change.from ? statusLabel(change.from) : "created"} → {statusLabel(change.to)} ·{" "}
                      <Time at={change.at} />
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </Panel>
          <Votes id={answer.id} />
          <Comments id={answer.id} canManage={canManage} />
          {canManage && answer.mergedInto === null ? (
            <MergeAndDelete id={answer.id} title={answer.title} />
          ) : null}
        </Page>
      )}
    </QueryView>
  );
}
