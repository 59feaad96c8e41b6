import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "wouter";
import { api, must } from "../api/api.ts";
import { queryKeys, useApps } from "../api/resources.ts";
import { atLeast, useSession } from "../api/session.tsx";
import { Page, Panel } from "../ui/page.tsx";
import { ErrorNote, QueryView } from "../ui/states.tsx";
import { Switch } from "../ui/switch.tsx";
import { Time } from "../ui/time.tsx";
import { SecretKeys } from "./secret-keys.tsx";

/** The app's in-app feedback panel: offered to its identified visitors, or not. */
export function FeedbackPanelSwitch(props: { appId: string; enabled: boolean; canManage: boolean }) {
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (enabled: boolean) =>
      must(
        api.PUT("/api/admin/apps/{id}/feedback-widget", {
          params: { path: { id: props.appId } },
          body: { enabled },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apps }),
  });
  return (
    <div className="switch-row">
      <Switch
        checked={props.enabled}
        disabled={!props.canManage || change.isPending}
        onChange={(checked) => change.mutate(checked)}
      >
        Offer the in-app "Give feedback" panel to identified visitors
      </Switch>
      {change.isError ? <ErrorNote error={change.error} /> : null}
    </div>
  );
}

/** One app: its settings, its track event secret (for server-side track events) and identity secret. */
export function AppDetails() {
  const { id = "" } = useParams<{ id: string }>();
  const session = useSession();
  const apps = useApps();
  const canManage = atLeast(session, "admin");
  return (
    <QueryView query={apps} what="the app">
      {(list) => {
        const app = list.find((candidate) => candidate.id === id);
        if (!app)
          return (
            <Page title="No such app">
              <p>
                There is no app {id}. <Link href="/settings/install">See every app</Link>.
              </p>
            </Page>
          );
        return (
          <Page title={app.name} intro={<Link href="/settings/install">← Install Settings</Link>}>
            <Panel title="Settings">
              <dl className="facts">
                <dt>App id</dt>
                <dd>
                  <code>{app.id}</code>
                  {app.isDefault ? <span className="badge">default app</span> : null}
                </dd>
                <dt>Created</dt>
                <dd>
                  <Time at={app.createdAt} />
                </dd>
                <dt>Signed visitor identity</dt>
                <dd>
                  {app.identity === "off"
                    ? "not required"
                    : app.identity === "panel"
                      ? "required by the feedback panel"
                      : `required by the feedback panel and analytics events (unsigned events: ${app.unsignedEvents})`}
                </dd>
              </dl>
              <FeedbackPanelSwitch appId={app.id} enabled={app.feedbackWidget} canManage={canManage} />
            </Panel>
            <SecretKeys kind="track" appId={app.id} title="Track event secret" canManage={canManage} />
            <SecretKeys kind="identity" appId={app.id} title="Identity secret" canManage={canManage} />
          </Page>
        );
      }}
    </QueryView>
  );
}
