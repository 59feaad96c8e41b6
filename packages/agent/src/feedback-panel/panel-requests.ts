import type { PanelHost, PanelUser } from "../feedback/panel-contract.js";

/** Where the requests go, and the visitor's identity token that goes with them. */
type Endpoint = Pick<PanelHost, "endpoint" | "token">;

/** An idea as the collector's `/data/feedback/…/ideas` lists it. */
export interface PanelIdea {
  id: string;
  title: string;
  status: string;
  votes: number;
  myVote: number;
}

/** A refused request, with the server's own message (it says what to do). */
export class PanelRequestError extends Error {}

async function call<T>(host: Endpoint, path: string, body?: unknown): Promise<T> {
  const token = host.token();
  const headers: Record<string, string> = token ? { "x-cairn-identity": token } : {};
  let response: Response;
  try {
    response = await fetch(
      host.endpoint + path,
      body === undefined
        ? { credentials: "omit", headers }
        : {
            method: "POST",
            credentials: "omit",
            headers: { ...headers, "content-type": "application/json" },
            body: JSON.stringify(body),
          },
    );
  } catch {
    throw new PanelRequestError("Feedback could not be reached. Check your connection and try again.");
  }
  const answer = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!response.ok) {
    throw new PanelRequestError(answer?.error?.message ?? `Feedback answered ${response.status}.`);
  }
  return answer as T;
}

export function listIdeas(host: Endpoint, user: PanelUser | null): Promise<{ ideas: PanelIdea[] }> {
  return call(host, `/ideas${user ? `?visitorId=${encodeURIComponent(user.id)}` : ""}`);
}

export function submitIdea(
  host: Endpoint,
  user: PanelUser,
  title: string,
  details: string,
): Promise<{ idea: PanelIdea }> {
  return call(host, "/ideas", details ? { user, title, details } : { user, title });
}

export function vote(
  host: Endpoint,
  user: PanelUser,
  ideaId: string,
  quantity: number,
): Promise<{ idea: PanelIdea }> {
  return call(host, "/votes", { user, ideaId, quantity });
}
