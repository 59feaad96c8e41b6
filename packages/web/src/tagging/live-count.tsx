import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, must } from "../api/api.ts";
import { ErrorNote } from "../ui/states.tsx";

const numbers = new Intl.NumberFormat();

/** A value that follows `value` once it has stopped changing for `ms` (typing a rule asks once, not per key). */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export type PreviewRequest =
  | { kind: "page"; appId?: string; rules: string[]; excludeRules: string[] }
  | { kind: "feature"; appId?: string; selectors: string[]; pageId?: string };

async function preview(request: PreviewRequest) {
  if (request.kind === "page") {
    const { kind: _kind, ...body } = request;
    return must(api.POST("/api/admin/pages/preview", { body }));
  }
  const { kind: _kind, ...body } = request;
  return must(api.POST("/api/admin/features/preview", { body }));
}

/**
 * How many stored events the unsaved rules match over the last 30 days, asked again shortly after each change:
 * the count is retroactive, so a rule is judged before it is saved. An invalid rule shows the API's message.
 */
export function LiveCount(props: { request: PreviewRequest; what: string }) {
  const request = useSettled(props.request, 400);
  const empty = request.kind === "page" ? request.rules.length === 0 : request.selectors.length === 0;
  const count = useQuery({
    queryKey: ["preview", request],
    queryFn: () => preview(request),
    enabled: !empty,
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  if (empty) return <p className="muted live-count">Write a rule to see how many events it matches.</p>;
  if (count.isError) return <ErrorNote error={count.error} />;
  return (
    <p className="live-count" role="status" aria-live="polite" data-testid="live-count">
      {count.data ? (
        <>
          Matches <strong>{numbers.format(count.data.events)}</strong> {props.what} by{" "}
          <strong>{numbers.format(count.data.visitors)}</strong> visitors in the last 30 days
          {count.isFetching ? " (counting…)" : "."}
        </>
      ) : (
        "Counting…"
      )}
    </p>
  );
}
