import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api, must } from "../api/api.ts";
import { queryKeys, type SubscriptionSettings as Settings, useSubscription } from "../api/resources.ts";
import { useSession } from "../api/session.tsx";
import { Page, Panel } from "../ui/page.tsx";
import { ErrorNote, QueryView } from "../ui/states.tsx";
import { Switch } from "../ui/switch.tsx";

/** Settings → Subscription: the integration key switch and what happens to a secret key seen from a browser. */
export function SubscriptionSettings() {
  const session = useSession();
  const queryClient = useQueryClient();
  const subscription = useSubscription();
  const policyId = useId();
  const isOwner = session.user.role === "owner";
  const change = useMutation({
    mutationFn: (
      body: Partial<Pick<Settings, "integrationKeysEnabled" | "exposedKeyPolicy" | "autoGuideThrottleHours">>,
    ) => must(api.PATCH("/api/admin/subscription", { body })),
    onSuccess: (settings) => queryClient.setQueryData(queryKeys.subscription, settings),
  });
  return (
    <Page title="Subscription" intro={isOwner ? undefined : "Only the owner can change these."}>
      <QueryView query={subscription} what="the subscription">
        {(settings) => (
          <Panel title={settings.name}>
            <div className="switch-row">
              <Switch
                checked={settings.integrationKeysEnabled}
                disabled={!isOwner || change.isPending}
                onChange={(checked) => change.mutate({ integrationKeysEnabled: checked })}
              >
                Allow integration keys
              </Switch>
            </div>
            <div className="stack">
              <label htmlFor={policyId}>When a secret key is seen from a browser (exposed)</label>
              <select
                id={policyId}
                value={settings.exposedKeyPolicy}
                disabled={!isOwner || change.isPending}
                onChange={(event) =>
                  change.mutate({ exposedKeyPolicy: event.target.value as Settings["exposedKeyPolicy"] })
                }
              >
                <option value="notify">flag it EXPOSED and tell admins</option>
                <option value="revoke">flag it and revoke it at once</option>
              </select>
            </div>
            <ThrottleField
              key={settings.autoGuideThrottleHours}
              hours={settings.autoGuideThrottleHours}
              disabled={!isOwner || change.isPending}
              onSave={(hours) => change.mutate({ autoGuideThrottleHours: hours })}
            />
            {change.isError ? <ErrorNote error={change.error} /> : null}
          </Panel>
        )}
      </QueryView>
    </Page>
  );
}

/** How far apart a visitor may see automatic guides (Pendo's throttling); 0 is off. */
function ThrottleField(props: { hours: number; disabled: boolean; onSave: (hours: number) => void }) {
  const id = useId();
  const [value, setValue] = useState(String(props.hours));
  function submit(event: FormEvent) {
    event.preventDefault();
    props.onSave(Number(value));
  }
  return (
    <form className="stack" onSubmit={submit}>
      <label htmlFor={id}>Automatic guides: at most one per visitor every (hours; 0 for no limit)</label>
      <div className="row">
        <input
          id={id}
          type="number"
          min={0}
          max={720}
          step={1}
          value={value}
          disabled={props.disabled}
          onChange={(event) => setValue(event.target.value)}
        />
        <button type="submit" disabled={props.disabled || value === String(props.hours)}>
          Save
        </button>
      </div>
      <p className="muted">
        {props.hours === 0
          ? "Off: a visitor may see several automatic guides in a row."
          : `A visitor sees at most one automatic guide per ${props.hours} hours.`}{" "}
        Guides shown from a badge, a click or code are not limited.
      </p>
    </form>
  );
}
