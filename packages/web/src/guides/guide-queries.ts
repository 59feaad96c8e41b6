import type { AdminAnswer, AdminBody } from "@cairn/client/session";
import { useQuery } from "@tanstack/react-query";
import { api, must } from "../api/api.ts";

export type Guide = AdminAnswer<"/api/admin/guides/{id}", "get">;
export type GuideBody = AdminBody<"/api/admin/guides", "post">;
export type GuideState = Guide["state"];
export type Segment = AdminAnswer<"/api/admin/segments", "get">["segments"][number];

export const guideKeys = {
  list: ["guides"],
  one: (id: string) => ["guides", id],
} as const;

export function useGuides() {
  return useQuery({
    queryKey: guideKeys.list,
    queryFn: async () => (await must(api.GET("/api/admin/guides"))).guides,
  });
}

export function useGuide(id: string) {
  return useQuery({
    queryKey: guideKeys.one(id),
    queryFn: () => must(api.GET("/api/admin/guides/{id}", { params: { path: { id } } })),
  });
}

export function useSegments() {
  return useQuery({
    queryKey: ["segments"],
    queryFn: async () => (await must(api.GET("/api/admin/segments"))).segments,
    // A segment made in another tab (the picker's "New segment…") shows when the person comes back.
    refetchOnWindowFocus: "always",
  });
}
