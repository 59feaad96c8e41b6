import type { AdminAnswer } from "@cairn/client/session";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext } from "react";
import { api, CairnApiError, must, setCsrfToken } from "./api.ts";

export type SignedIn = AdminAnswer<"/api/admin/session", "get">;
export type Role = SignedIn["user"]["role"];

const SessionContext = createContext<SignedIn | null>(null);

/** The signed-in person; only inside `<SessionGate>`'s signed-in branch. */
export function useSession(): SignedIn {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside a signed-in screen");
  return session;
}

export const sessionQueryKey = ["session"];

async function currentSession(): Promise<SignedIn | null> {
  try {
    const signedIn = await must(api.GET("/api/admin/session"));
    setCsrfToken(signedIn.csrfToken);
    return signedIn;
  } catch (error) {
    if (error instanceof CairnApiError && error.status === 401) return null;
    throw error;
  }
}

/** Asks who is signed in; renders `signedOut` or the children with the session. */
export function SessionGate(props: {
  signedOut: ReactNode;
  failed: (error: unknown) => ReactNode;
  children: ReactNode;
}) {
  const session = useQuery({
    queryKey: sessionQueryKey,
    queryFn: currentSession,
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (session.isPending) return null;
  if (session.isError) return props.failed(session.error);
  if (!session.data) return props.signedOut;
  return <SessionContext.Provider value={session.data}>{props.children}</SessionContext.Provider>;
}

/** After signing in: the session's CSRF token for the writes to come, and the app for this person. */
export function useSignedIn() {
  const queryClient = useQueryClient();
  return (signedIn: SignedIn) => {
    setCsrfToken(signedIn.csrfToken);
    queryClient.setQueryData(sessionQueryKey, signedIn);
  };
}

/** Signing out reloads the app: nothing the previous person read stays in memory. */
export function afterSignOut(): void {
  window.location.assign("/");
}

const ranks: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** Whether the signed-in role is at least `role` (the server decides; this only hides what would be refused). */
export function atLeast(session: SignedIn, role: Role): boolean {
  return ranks[session.user.role] >= ranks[role];
}
