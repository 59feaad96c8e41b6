import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Link, useLocation, useParams } from "wouter";
import { api, must, mustSucceed } from "../api/api.ts";
import { atLeast, useSession } from "../api/session.tsx";
import { ConfirmButton } from "../ui/confirm-button.tsx";
import { Page, Panel } from "../ui/page.tsx";
import { ErrorNote, QueryView } from "../ui/states.tsx";
import { LiveCount } from "./live-count.tsx";
import { usePages } from "./pages.tsx";
import { linesOf } from "./rule-lines.ts";
import { TaggedList } from "./tagged-list.tsx";

function useFeatures() {
  return useQuery({
    queryKey: ["features"],
    queryFn: async () => (await must(api.GET("/api/admin/features"))).features,
  });
}

type FeatureRecord = NonNullable<ReturnType<typeof useFeatures>["data"]>[number];

/** Analytics → Features: tagged elements and their clicks. */
export function Features() {
  const session = useSession();
  const features = useFeatures();
  return (
    <TaggedList
      kind="feature"
      title="Features"
      intro="A feature is the elements its CSS selectors match, on its page or anywhere in the app; clicks count retroactively."
      items={features}
      rowOf={(feature) => ({
        id: feature.id,
        name: feature.name,
        detail: feature.elementPathRules.join(", "),
      })}
      detailHeading="Selectors"
      hrefOf={(id) => `/features/${id}`}
      actions={atLeast(session, "member") ? <Link href="/features/new">+ Tag a feature</Link> : undefined}
      empty={<p>Tag a feature with a selector such as #save or button.primary and its clicks show here.</p>}
    />
  );
}

function FeatureForm(props: { existing?: FeatureRecord }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const pages = usePages();
  const ids = { name: useId(), selectors: useId(), page: useId() };
  const [name, setName] = useState(props.existing?.name ?? "");
  const [selectors, setSelectors] = useState(props.existing?.elementPathRules.join("\n") ?? "");
  const [pageId, setPageId] = useState(props.existing?.pageId ?? "");
  const canManage = atLeast(session, "member");
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name,
        elementPathRules: linesOf(selectors),
        pageId: pageId === "" ? null : pageId,
        appWide: pageId === "",
      };
      return props.existing
        ? must(api.PUT("/api/admin/features/{id}", { params: { path: { id: props.existing.id } }, body }))
        : must(api.POST("/api/admin/features", { body }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["features"] });
      await queryClient.invalidateQueries({ queryKey: ["aggregation"] });
      navigate("/features");
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <form onSubmit={submit}>
      <Panel title="Feature">
        <div className="stack">
          <label htmlFor={ids.name}>Name</label>
          <input
            id={ids.name}
            required
            value={name}
            readOnly={!canManage}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <div className="stack">
          <label htmlFor={ids.selectors}>CSS selectors, one a line</label>
          <textarea
            id={ids.selectors}
            rows={3}
            value={selectors}
            readOnly={!canManage}
            placeholder="#save-report"
            onChange={(event) => setSelectors(event.target.value)}
          />
          <p className="muted">Tags, #ids, .classes, * and descendants (a b, a &gt; b).</p>
        </div>
        <div className="stack">
          <label htmlFor={ids.page}>On the page</label>
          <select
            id={ids.page}
            value={pageId}
            disabled={!canManage}
            onChange={(event) => setPageId(event.target.value)}
          >
            <option value="">anywhere in the app</option>
            {(pages.data ?? []).map((page) => (
              <option key={page.id} value={page.id}>
                {page.name}
              </option>
            ))}
          </select>
        </div>
        <LiveCount
          request={{ kind: "feature", selectors: linesOf(selectors), ...(pageId ? { pageId } : {}) }}
          what="clicks"
        />
        {save.isError ? <ErrorNote error={save.error} /> : null}
        {canManage ? (
          <div className="row">
            <button type="submit" className="primary" disabled={save.isPending}>
              {props.existing ? "Save feature" : "Tag feature"}
            </button>
            <Link href="/features">Cancel</Link>
            {props.existing ? (
              <ConfirmButton
                label="Delete feature"
                danger
                question={`Delete the feature ${props.existing.name}?`}
                detail={<p>Its clicks stay; they are just no longer counted as this feature.</p>}
                confirmLabel="Delete"
                onConfirm={async () => {
                  await mustSucceed(
                    api.DELETE("/api/admin/features/{id}", {
                      params: { path: { id: props.existing?.id ?? "" } },
                    }),
                  );
                  await queryClient.invalidateQueries({ queryKey: ["features"] });
                  navigate("/features");
                }}
              />
            ) : null}
          </div>
        ) : null}
      </Panel>
    </form>
  );
}

export function NewFeature() {
  return (
    <Page title="Tag a feature" intro={<Link href="/features">← Features</Link>}>
      <FeatureForm />
    </Page>
  );
}

export function EditFeature() {
  const { id = "" } = useParams<{ id: string }>();
  const features = useFeatures();
  return (
    <QueryView query={features} what="the feature">
      {(list) => {
        const feature = list.find((candidate) => candidate.id === id);
        return (
          <Page
            title={feature ? feature.name : "No such feature"}
            intro={<Link href="/features">← Features</Link>}
          >
            {feature ? <FeatureForm existing={feature} /> : <p>There is no feature {id}.</p>}
          </Page>
        );
      }}
    </QueryView>
  );
}
