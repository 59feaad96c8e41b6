import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useId, useState } from "react";
import { Link } from "wouter";
import { api, must } from "../api/api.ts";
import { useApps } from "../api/resources.ts";
import { atLeast, useSession } from "../api/session.tsx";
import { FeedbackPanelSwitch } from "../settings/app-details.tsx";
import { Page, Panel } from "../ui/page.tsx";
import { Empty, QueryView } from "../ui/states.tsx";
import { Time } from "../ui/time.tsx";
import { type IdeaStatus, statuses, statusLabel } from "./idea-queries.ts";

type Sort = "votes" | "newest" | "updated";

function StatusTabs(props: { value: IdeaStatus | "all"; onChange: (value: IdeaStatus | "all") => void }) {
  return (
    <fieldset className="tabs">
      <legend className="visually-hidden">Status</legend>
      {[{ value: "all" as const, label: "All" }, ...statuses].map((status) => (
        <button
          key={status.value}
          type="button"
          aria-pressed={props.value === status.value}
          onClick={() => props.onChange(status.value)}
        >
          {status.label}
        </button>
      ))}
    </fieldset>
  );
}

function PanelSwitches() {
  const session = useSession();
  const apps = useApps();
  return (
    <Panel title="In-app panel">
      <QueryView query={apps} what="apps">
        {(list) => (
          <>
            {list.map((app) => (
              <div key={app.id}>
                <strong>{app.name}</strong>
                <FeedbackPanelSwitch
                  appId={app.id}
                  enabled={app.feedbackWidget}
                  canManage={atLeast(session, "admin")}
                />
              </div>
            ))}
          </>
        )}
      </QueryView>
    </Panel>
  );
}

/** Feedback → Ideas: by status, most wanted first; each with its votes and comments. */
export function FeedbackBoard() {
  const [status, setStatus] = useState<IdeaStatus | "all">("all");
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<Sort>("votes");
  const deferredSearch = useDeferredValue(search.trim());
  const searchId = useId();
  const sortId = useId();
  const ideas = useQuery({
    queryKey: ["ideas", status, deferredSearch, sort],
    queryFn: () =>
      must(
        api.GET("/api/admin/ideas", {
          params: {
            query: {
              sort,
              limit: 100,
              ...(status === "all" ? {} : { status }),
              ...(deferredSearch ? { search: deferredSearch } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <Page title="Ideas" intro="What your customers ask for, from the in-app panel and the Feedback API.">
      <Panel title="Board">
        <StatusTabs value={status} onChange={setStatus} />
        <search className="inline-form">
          <div className="stack">
            <label htmlFor={searchId}>Search</label>
            <input
              id={searchId}
              type="search"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
            />
          </div>
          <div className="stack">
            <label htmlFor={sortId}>Order</label>
            <select id={sortId} value={sort} onChange={(event) => setSort(event.target.value as Sort)}>
              <option value="votes">most votes</option>
              <option value="newest">newest</option>
              <option value="updated">recently updated</option>
            </select>
          </div>
        </search>
        <QueryView query={ideas} what="ideas">
          {(page) =>
            page.ideas.length === 0 ? (
              <Empty title={status === "all" && !deferredSearch ? "No ideas yet." : "No idea matches."}>
                {status === "all" && !deferredSearch ? (
                  <p>Turn on the in-app panel below, or send ideas with the Feedback API.</p>
                ) : null}
              </Empty>
            ) : (
              <ul className="ideas">
                {page.ideas.map((idea) => (
                  <li key={idea.id}>
                    <span className="votes" title="votes">
                      <strong>{idea.votes.count}</strong> votes
                    </span>
                    <span className="idea-main">
                      <Link href={`/ideas/${idea.id}`}>{idea.title}</Link>
                      <span className="muted">
                        {" "}
                        · {idea.comments} comments · updated <Time at={idea.updatedAt} />
                        {idea.mergedInto ? " · merged" : ""}
                      </span>
                    </span>
                    <span className={`badge status-${idea.status}`}>{statusLabel(idea.status)}</span>
                  </li>
                ))}
              </ul>
            )
          }
        </QueryView>
      </Panel>
      <PanelSwitches />
    </Page>
  );
}
