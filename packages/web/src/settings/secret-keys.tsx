import type { AdminBody } from "@cairn/client/session";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api, must } from "../api/api.ts";
import { type KeyRecord, queryKeys, useKeys, useUsers, whoIs } from "../api/resources.ts";
import { atLeast, useSession } from "../api/session.tsx";
import { ConfirmButton } from "../ui/confirm-button.tsx";
import { CopyButton } from "../ui/copy-button.tsx";
import { Panel } from "../ui/page.tsx";
import { ScrollRegion } from "../ui/scroll-region.tsx";
import { Empty, ErrorNote, QueryView } from "../ui/states.tsx";
import { Time } from "../ui/time.tsx";

type Kind = KeyRecord["kind"];
type Grace = NonNullable<AdminBody<"/api/admin/keys/{id}/roll", "post">["grace"]>;

const names: Record<Kind, string> = {
  integration: "Integration Key",
  feedback: "Feedback key",
  track: "track event secret",
  identity: "identity secret",
};

/** A key shown once, right after it was made or rolled: copy it now, it is never shown again. */
function ShownOnce(props: { secret: string; kind: Kind; onDone: () => void }) {
  return (
    <div className="note success shown-once" role="status">
      <p>
        <strong>Your new {names[props.kind]}.</strong> Copy it now: you will not see this again. Cairn keeps
        only a hash of it.
      </p>
      <code className="secret" data-testid="new-key">
        {props.secret}
      </code>
      <div className="row">
        <CopyButton text={props.secret} label="Copy key" />
        <button type="button" onClick={props.onDone}>
          I have copied it
        </button>
      </div>
    </div>
  );
}

function stateOf(key: KeyRecord) {
  return (
    <>
      <span className={`badge ${key.state}`}>{key.state}</span>
      {key.exposedAt ? (
        <span className="badge exposed" title="Seen in a browser request: treat it as public, roll it.">
          EXPOSED
        </span>
      ) : null}
    </>
  );
}

function RollButton(props: { record: KeyRecord; onRolled: (secret: string) => void }) {
  const queryClient = useQueryClient();
  const [grace, setGrace] = useState<Grace>("24h");
  const graceId = useId();
  return (
    <ConfirmButton
      label="Roll"
      question={`Roll "${props.record.description}"?`}
      detail={
        <>
          <p>A new key works at once. The old one keeps working until the grace period ends.</p>
          <label htmlFor={graceId}>Grace period</label>
          <select id={graceId} value={grace} onChange={(event) => setGrace(event.target.value as Grace)}>
            <option value="0">none: stop the old key now</option>
            <option value="1h">1 hour</option>
            <option value="24h">24 hours</option>
            <option value="7d">7 days</option>
          </select>
        </>
      }
      confirmLabel="Roll key"
      onConfirm={async () => {
        const rolled = await must(
          api.POST("/api/admin/keys/{id}/roll", {
            params: { path: { id: props.record.id } },
            body: { grace },
          }),
        );
        props.onRolled(rolled.key);
        await queryClient.invalidateQueries({ queryKey: queryKeys.keys });
      }}
    />
  );
}

function KeyTable(props: { keys: KeyRecord[]; canManage: boolean; onRolled: (secret: string) => void }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const users = useUsers(atLeast(session, "member"));
  return (
    <ScrollRegion label="Keys">
      <table>
        <thead>
          <tr>
            <th scope="col">Description</th>
            <th scope="col">Key</th>
            <th scope="col">Created by</th>
            <th scope="col">Scope</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
            {props.canManage ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.keys.map((key) => (
            <tr key={key.id}>
              <td>{key.description}</td>
              <td>
                <code>{key.start}…</code>
              </td>
              <td>{whoIs(users.data, key.createdBy)}</td>
              <td>{key.scope === "write" ? "read and write" : "read"}</td>
              <td>
                <Time at={key.expiresAt} empty="never" />
              </td>
              <td>
                <Time at={key.lastUsedAt} empty="never used" />
                {key.lastUsedIp ? <span className="muted"> from {key.lastUsedIp}</span> : null}
              </td>
              <td>{stateOf(key)}</td>
              {props.canManage ? (
                <td>
                  {key.state === "active" ? (
                    <div className="row">
                      <RollButton record={key} onRolled={props.onRolled} />
                      <ConfirmButton
                        label="Revoke"
                        danger
                        question={`Revoke "${key.description}"?`}
                        detail={
                          <p>Every request with this key is refused from now on. This cannot be undone.</p>
                        }
                        confirmLabel="Revoke key"
                        onConfirm={async () => {
                          await must(
                            api.POST("/api/admin/keys/{id}/revoke", { params: { path: { id: key.id } } }),
                          );
                          await queryClient.invalidateQueries({ queryKey: queryKeys.keys });
                        }}
                      />
                    </div>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function AddKeyForm(props: {
  kind: Kind;
  appId?: string;
  onCreated: (secret: string) => void;
  offersWrite: boolean;
}) {
  const queryClient = useQueryClient();
  const [description, setDescription] = useState("");
  const [write, setWrite] = useState(false);
  const [expires, setExpires] = useState("");
  const create = useMutation({
    mutationFn: () =>
      must(
        api.POST("/api/admin/keys", {
          body: {
            kind: props.kind,
            description,
            ...(props.offersWrite ? { write } : {}),
            ...(props.appId ? { appId: props.appId } : {}),
            ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}),
          },
        }),
      ),
    onSuccess: async (created) => {
      props.onCreated(created.key);
      setDescription("");
      setWrite(false);
      setExpires("");
      await queryClient.invalidateQueries({ queryKey: queryKeys.keys });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label={`Add ${names[props.kind]}`}>
      <label>
        Description (required)
        <input
          required
          maxLength={1000}
          value={description}
          placeholder="What uses it, e.g. Salesforce sync"
          onChange={(event) => setDescription(event.target.value)}
        />
      </label>
      {props.offersWrite ? (
        <label className="check">
          <input type="checkbox" checked={write} onChange={(event) => setWrite(event.target.checked)} />
          Allow write access
        </label>
      ) : null}
      <label>
        Expires (optional)
        <input type="date" value={expires} onChange={(event) => setExpires(event.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={create.isPending}>
        + Add {names[props.kind]}
      </button>
      {create.isError ? <ErrorNote error={create.error} /> : null}
    </form>
  );
}

/**
 * The keys of one kind (for one app, for track and identity secrets): add one (shown once), the list with first
 * characters, who made it, scope, expiry, last use and the EXPOSED flag; roll and revoke after a confirmation.
 */
export function SecretKeys(props: {
  kind: Kind;
  appId?: string;
  title: string;
  canManage: boolean;
  enabled?: boolean;
}) {
  const keys = useKeys();
  const [secret, setSecret] = useState<string | null>(null);
  const addable = props.canManage && props.enabled !== false;
  return (
    <Panel title={props.title}>
      {secret ? <ShownOnce secret={secret} kind={props.kind} onDone={() => setSecret(null)} /> : null}
      {addable ? (
        <AddKeyForm
          kind={props.kind}
          appId={props.appId}
          offersWrite={props.kind === "integration" || props.kind === "feedback"}
          onCreated={setSecret}
        />
      ) : null}
      <QueryView query={keys} what="keys">
        {(all) => {
          const mine = all.filter(
            (key) => key.kind === props.kind && (props.appId === undefined || key.appId === props.appId),
          );
          if (mine.length === 0)
            return (
              <Empty title={`No ${names[props.kind]}s yet.`}>{addable ? <p>Add one above.</p> : null}</Empty>
            );
          return <KeyTable keys={mine} canManage={props.canManage} onRolled={setSecret} />;
        }}
      </QueryView>
    </Panel>
  );
}
