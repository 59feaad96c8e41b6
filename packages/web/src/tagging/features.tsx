import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link, useParams } from "wouter";
import { api, must, mustSucceed } from "../api/api.ts";
import { atLeast, useSession } from "../api/session.tsx";
import { Page } from "../ui/page.tsx";
import { QueryView } from "../ui/states.tsx";
import { LiveCount } from "./live-count.tsx";
import { usePages } from "./pages.tsx";
import { linesOf } from "./rule-lines.ts";
import { TaggedForm, TextField, useCanTag } from "./tagged-form.tsx";
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
  const canManage = useCanTag();
  const pages = usePages();
  const pageFieldId = useId();
  const [name, setName] = useState(props.existing?.name ?? "");
  const [selectors, setSelectors] = useState(props.existing?.elementPathRules.join("\n") ?? "");
  const [pageId, setPageId] = useState(props.existing?.pageId ?? "");
  const body = {
    name,
    elementPathRules: linesOf(selectors),
    pageId: pageId === "" ? null : pageId,
    appWide: pageId === "",
  };
  return (
    <TaggedForm
      list="features"
      what="feature"
      existing={props.existing}
      save={() =>
        props.existing
          ? must(api.PUT("/api/admin/features/{id}", { params: { path: { id: props.existing.id } }, body }))
          : must(api.POST("/api/admin/features", { body }))
      }
      remove={(id) => mustSucceed(api.DELETE("/api/admin/features/{id}", { params: { path: { id } } }))}
    >
      <TextField label="Name" value={name} onChange={setName} readOnly={!canManage} />
      <TextField
        label="CSS selectors, one a line"
        rows={3}
        value={selectors}
        onChange={setSelectors}
        readOnly={!canManage}
        placeholder="#save-report"
        note={<>Tags, #ids, .classes, * and descendants (a b, a &gt; b).</>}
      />
      <div className="stack">
        <label htmlFor={pageFieldId}>On the page</label>
        <select
          id={pageFieldId}
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
        request={{ kind: "feature", selectors: body.elementPathRules, ...(pageId ? { pageId } : {}) }}
        what="clicks"
      />
    </TaggedForm>
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
