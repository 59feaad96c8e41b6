import type { AdminAnswer } from "@cairn/client/session";
import { useQuery } from "@tanstack/react-query";
import { api, must } from "./api.ts";

// The admin resources several screens read, each under one query key so a change refreshes every screen.

export type AppRecord = AdminAnswer<"/api/admin/apps", "get">["apps"][number];
export type KeyRecord = AdminAnswer<"/api/admin/keys", "get">["keys"][number];
export type UserRecord = AdminAnswer<"/api/admin/users", "get">["users"][number];
export type SubscriptionSettings = AdminAnswer<"/api/admin/subscription", "get">;

export const queryKeys = {
  apps: ["apps"],
  keys: ["keys"],
  users: ["users"],
  subscription: ["subscription"],
  excludeRules: ["exclude-rules"],
  audit: ["audit"],
} as const;

export function useApps() {
  return useQuery({
    queryKey: queryKeys.apps,
    queryFn: async () => (await must(api.GET("/api/admin/apps"))).apps,
  });
}

export function useSubscription() {
  return useQuery({
    queryKey: queryKeys.subscription,
    queryFn: () => must(api.GET("/api/admin/subscription")),
  });
}

/** Every secret key of the subscription (never the keys themselves: their first characters). */
export function useKeys() {
  return useQuery({
    queryKey: queryKeys.keys,
    queryFn: async () => {
      const keys: KeyRecord[] = [];
      let after: string | undefined;
      do {
        const page = await must(api.GET("/api/admin/keys", { params: { query: { limit: 1000, after } } }));
        keys.push(...page.keys);
        after = page.next ?? undefined;
      } while (after);
      return keys;
    },
  });
}

/** The users, to show a name where the API gives a user id; members and up may read them. */
export function useUsers(enabled = true) {
  return useQuery({
    queryKey: queryKeys.users,
    queryFn: async () => (await must(api.GET("/api/admin/users"))).users,
    enabled,
  });
}

/** A user id as a person reads it: their email, or the id (`cli`, a key's id) when it is not a user. */
export function whoIs(users: readonly UserRecord[] | undefined, id: string): string {
  if (id === "cli") return "command line";
  return users?.find((user) => user.id === id)?.email ?? id;
}
