import { useQuery } from "@tanstack/react-query";
import { api, must } from "../api/api.ts";
import { ErrorNote } from "../ui/states.tsx";
import { ago, Time } from "../ui/time.tsx";

/** When the app's newest event arrived: asked every 3 s until there is one, then every 30 s. */
export function useLastEvent(appId: string | undefined) {
  return useQuery({
    queryKey: ["apps", appId, "last-event"],
    queryFn: () =>
      must(api.GET("/api/admin/apps/{id}/last-event", { params: { path: { id: appId ?? "" } } })),
    refetchInterval: (query) => (query.state.data?.lastEventAt ? 30_000 : 3_000),
    staleTime: 0,
    enabled: appId !== undefined,
  });
}

/**
 * "Last event received": asks every 3 seconds until the app's first event arrives (then every 30), and turns
 * green when it has, so whoever pasted the snippet sees it work.
 */
export function LastEventCheck(props: { appId: string }) {
  const lastEvent = useQuery({
    queryKey: ["apps", props.appId, "last-event"],
    queryFn: () =>
      must(api.GET("/api/admin/apps/{id}/last-event", { params: { path: { id: props.appId } } })),
    refetchInterval: (query) => (query.state.data?.lastEventAt ? 30_000 : 3_000),
    staleTime: 0,
  });
  if (lastEvent.isError) return <ErrorNote error={lastEvent.error} />;
  const at = lastEvent.data?.lastEventAt ?? null;
  return (
    <p className={at ? "check ok" : "check waiting"} role="status" data-testid="last-event">
      <span className="dot" aria-hidden="true" />
      <span>
        {at ? (
          <>
            Last event received {ago(new Date(at))} (<Time at={at} />)
          </>
        ) : (
          "Waiting for the first event… paste the snippet in your page's <head> and load it."
        )}
      </span>
    </p>
  );
}
