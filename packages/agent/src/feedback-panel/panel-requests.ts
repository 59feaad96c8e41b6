import type { PanelUser } from "../feedback/panel-contract.js";

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

async function call<T>(url: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(
      url,
      body === undefined
        ? { credentials: "omit" }
        : {
            method: "POST",
            credentials: "omit",
            headers: { "content-type": "application/json" },
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

export function listIdeas(endpoint: string, user: PanelUser | null): Promise<{ ideas: PanelIdea[] }> {
  return call(`${endpoint}/ideas${user ? `?visitorId=${encodeURIComponent(user.id)}` : ""}`);
}

export function submitIdea(
  endpoint: string,
  user: PanelUser,
  title: string,
  details: string,
): Promise<{ idea: PanelIdea }> {
  return call(`${endpoint}/ideas`, details ? { user, title, details } : { user, title });
}

export function vote(
  endpoint: string,
  user: PanelUser,
  ideaId: string,
  quantity: number,
): Promise<{ idea: PanelIdea }> {
  return call(`${endpoint}/votes`, { user, ideaId, quantity });
}
