import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Link } from "wouter";
import { api, must } from "../api/api.ts";
import { type AppRecord, queryKeys, useApps } from "../api/resources.ts";
import { atLeast, useSession } from "../api/session.tsx";
import { ConfirmButton } from "../ui/confirm-button.tsx";
import { CopyButton } from "../ui/copy-button.tsx";
import { Page, Panel } from "../ui/page.tsx";
import { ScrollRegion } from "../ui/scroll-region.tsx";
import { ErrorNote, QueryView } from "../ui/states.tsx";
import { Time } from "../ui/time.tsx";
import { LastEventCheck } from "./last-event-check.tsx";

export function useInstall(appId: string) {
  return useQuery({
    queryKey: ["apps", appId, "install"],
    queryFn: () => must(api.GET("/api/admin/apps/{id}/install", { params: { path: { id: appId } } })),
  });
}

/** The app's snippet with a copy button, and the check that it works. */
export function InstallSnippet(props: { app: AppRecord }) {
  const install = useInstall(props.app.id);
  return (
    <QueryView query={install} what="the snippet">
      {(answer) => (
        <>
          <p>
            Paste this in the <code>&lt;head&gt;</code> of every page of your app. Replace the visitor and
            account ids with your signed-in user's.
          </p>
          <ScrollRegion label="Install snippet" className="snippet-box">
            <pre className="snippet">
              <code>{answer.snippet}</code>
            </pre>
          </ScrollRegion>
          <CopyButton text={answer.snippet} label="Copy snippet" />
          <LastEventCheck appId={props.app.id} />
        </>
      )}
    </QueryView>
  );
}

function AllowedOrigins(props: { app: AppRecord; canManage: boolean }) {
  const queryClient = useQueryClient();
  const fieldId = useId();
  const [text, setText] = useState(props.app.allowedOrigins.join("\n"));
  const save = useMutation({
    mutationFn: () =>
      must(
        api.PUT("/api/admin/apps/{id}/allowed-origins", {
          params: { path: { id: props.app.id } },
          body: { allowedOrigins: text.split(/\s+/).filter((origin) => origin !== "") },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apps }),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <form onSubmit={submit} className="stack">
      <label htmlFor={fieldId}>Allowed origins, one a line (none: any origin)</label>
      <textarea
        id={fieldId}
        rows={3}
        value={text}
        readOnly={!props.canManage}
        placeholder="https://app.example.com&#10;https://*.example.com"
        onChange={(event) => setText(event.target.value)}
      />
      {props.canManage ? (
        <div className="row">
          <button type="submit" disabled={save.isPending}>
            Save origins
          </button>
          {save.isSuccess ? <span role="status">Saved.</span> : null}
        </div>
      ) : null}
      {save.isError ? <ErrorNote error={save.error} /> : null}
    </form>
  );
}

function RollAppKey(props: { app: AppRecord }) {
  const queryClient = useQueryClient();
  const [graceDays, setGraceDays] = useState(30);
  const graceId = useId();
  return (
    <ConfirmButton
      label="Roll app key"
      question={`Roll the app key of ${props.app.name}?`}
      detail={
        <>
          <p>
            Pages get a new key with the snippet. The old key stays accepted for the grace period, because
            snippets sit in caches.
          </p>
          <label htmlFor={graceId}>Grace period in days</label>
          <input
            id={graceId}
            type="number"
            min={0}
            max={365}
            value={graceDays}
            onChange={(event) => setGraceDays(Number(event.target.value))}
          />
        </>
      }
      confirmLabel="Roll app key"
      onConfirm={async () => {
        await must(
          api.POST("/api/admin/apps/{id}/roll-key", {
            params: { path: { id: props.app.id } },
            body: { graceDays },
          }),
        );
        await queryClient.invalidateQueries({ queryKey: ["apps"] });
      }}
    />
  );
}

function AppInstall(props: { app: AppRecord }) {
  const session = useSession();
  const canManage = atLeast(session, "admin");
  const { app } = props;
  return (
    <Panel
      title={app.name}
      id={`app-${app.id}`}
      actions={<Link href={`/settings/apps/${app.id}`}>App details and track secret</Link>}
    >
      <dl className="facts">
        <dt>App key (public: it goes in the snippet and can only send data)</dt>
        <dd className="row">
          <code data-testid="app-key">{app.appKey}</code>
          <CopyButton text={app.appKey} label="Copy app key" />
          {canManage ? <RollAppKey app={app} /> : null}
        </dd>
        {app.previousAppKeyExpiresAt ? (
          <>
            <dt>Previous app key accepted until</dt>
            <dd>
              <Time at={app.previousAppKeyExpiresAt} />
            </dd>
          </>
        ) : null}
      </dl>
      <InstallSnippet app={app} />
      <AllowedOrigins app={app} canManage={canManage} />
    </Panel>
  );
}

/** Settings → Subscription Settings → Install Settings: each app's key, snippet, origins and live check. */
export function InstallSettings() {
  const apps = useApps();
  return (
    <Page
      title="Install Settings"
      intro="Each app's public app key and the snippet that sends its data to Cairn."
    >
      <QueryView query={apps} what="apps">
        {(list) => (
          <>
            {list.map((app) => (
              <AppInstall key={`${app.id}-${app.appKey}`} app={app} />
            ))}
          </>
        )}
      </QueryView>
    </Page>
  );
}
