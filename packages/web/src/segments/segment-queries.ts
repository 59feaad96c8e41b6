import type { AdminAnswer } from "@cairn/client/session";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, must } from "../api/api.ts";
import type { RuleCondition } from "./segment-rule.ts";

export type SegmentRecord = AdminAnswer<"/api/admin/segments/{id}", "get">;

/** One query key for every screen that lists segments (the guide editor's picker too). */
export const segmentKeys = {
  list: ["segments"],
  one: (id: string) => ["segments", id],
} as const;

export function useSegmentList() {
  return useQuery({
    queryKey: segmentKeys.list,
    queryFn: async () => (await must(api.GET("/api/admin/segments"))).segments,
  });
}

export function useSegment(id: string) {
  return useQuery({
    queryKey: segmentKeys.one(id),
    queryFn: () => must(api.GET("/api/admin/segments/{id}", { params: { path: { id } } })),
  });
}

/** The visitor fields a rule may name, with their types (read once per visit of the builder). */
export function useRuleFields() {
  return useQuery({
    queryKey: ["segment-fields"],
    queryFn: async () => (await must(api.GET("/api/admin/segments/fields"))).fields,
    staleTime: 60_000,
  });
}

/** A value that follows `value` once it has stopped changing for `ms` (typing asks once, not per key). */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** How many visitors the unsaved rule matches now, asked again shortly after each change. */
export function useRulePreview(rule: readonly RuleCondition[]) {
  const settled = useSettled(rule, 400);
  return useQuery({
    queryKey: ["segment-preview", settled],
    queryFn: () => must(api.POST("/api/admin/segments/preview", { body: { rule: [...settled] } })),
    enabled: settled.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
}
