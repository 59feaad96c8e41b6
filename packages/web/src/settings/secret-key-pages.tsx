import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, must } from "../api/api.ts";
import { queryKeys, useSubscription } from "../api/resources.ts";
import { atLeast, useSession } from "../api/session.tsx";
import { Page } from "../ui/page.tsx";
import { ErrorNote, QueryView } from "../ui/states.tsx";
import { Switch } from "../ui/switch.tsx";
import { SecretKeys } from "./secret-keys.tsx";

/** The owner's switch: whether integration keys may exist and be used at all (keys.md rule 1). */
function IntegrationKeySwitch() {
  const session = useSession();
  const queryClient = useQueryClient();
  const subscription = useSubscription();
  const change = useMutation({
    mutationFn: (enabled: boolean) =>
      must(api.PATCH("/api/admin/subscription", { body: { integrationKeysEnabled: enabled } })),
    onSuccess: (settings) => queryClient.setQueryData(queryKeys.subscription, settings),
  });
  return (
    <QueryView query={subscription} what="the subscription's settings">
      {(settings) => (
        <div className="switch-row">
          <Switch
            checked={settings.integrationKeysEnabled}
            disabled={session.user.role !== "owner" || change.isPending}
            onChange={(checked) => change.mutate(checked)}
          >
            Integration keys are {settings.integrationKeysEnabled ? "on" : "off"} for this subscription
          </Switch>
          {session.user.role !== "owner" ? (
            <span className="muted">Only the owner can change this.</span>
          ) : null}
          {change.isError ? <ErrorNote error={change.error} /> : null}
        </div>
      )}
    </QueryView>
  );
}

/** Settings → Integrations → Integration Keys. */
export function IntegrationKeys() {
  const session = useSession();
  const subscription = useSubscription();
  const canManage =
    session.user.role === "owner" || (atLeast(session, "admin") && session.user.integrationKeyAccess);
  return (
    <Page
      title="Integration Keys"
      intro="Private keys for Pendo's REST API (/api/v1). Each reads every app of the subscription and honours the Exclude List. Keep them on servers, never in a page."
    >
      <IntegrationKeySwitch />
      {!canManage ? (
        <p className="note">
          Adding and revoking keys needs the owner, or an admin with integration key access.
        </p>
      ) : null}
      <SecretKeys
        kind="integration"
        title="Keys"
        canManage={canManage}
        enabled={subscription.data?.integrationKeysEnabled ?? false}
      />
    </Page>
  );
}

/** Feedback → Settings → Product Settings → API Access. */
export function FeedbackApiAccess() {
  const session = useSession();
  return (
    <Page
      title="API Access"
      intro="Feedback keys for the Feedback API (/api/v1/ideas, /feedback/…). They are not integration keys: each API takes only its own."
    >
      <SecretKeys kind="feedback" title="Feedback keys" canManage={atLeast(session, "admin")} />
    </Page>
  );
}
