import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Link, useLocation, useParams } from "wouter";
import { api, must, mustSucceed } from "../api/api.ts";
import { atLeast, useSession } from "../api/session.tsx";
import { ConfirmButton } from "../ui/confirm-button.tsx";
import { Page, Panel } from "../ui/page.tsx";
import { ErrorNote, QueryView } from "../ui/states.tsx";
import { LiveCount } from "./live-count.tsx";
import { linesOf } from "./rule-lines.ts";
import { TaggedList } from "./tagged-list.tsx";

export function usePages() {
  return useQuery({
    queryKey: ["pages"],
    queryFn: async () => (await must(api.GET("/api/admin/pages"))).pages,
  });
}

type PageRecord = NonNullable<ReturnType<typeof usePages>["data"]>[number];

/** Analytics → Pages: tagged pages and their views. */
export function Pages() {
  const session = useSession();
  const pages = usePages();
  return (
    <TaggedList
      kind="page"
      title="Pages"
      intro="A page is the URLs its rules match; its views count from the first event ever stored, not from when it was tagged."
      items={pages}
      rowOf={(page) => ({
        id: page.id,
        name: page.name,
        detail: page.rules.map((rule) => rule.rule).join(", "),
      })}
      detailHeading="Rules"
      hrefOf={(id) => `/pages/${id}`}
      actions={atLeast(session, "member") ? <Link href="/pages/new">+ Tag a page</Link> : undefined}
      empty={<p>Tag a page with a URL rule such as {"//*/dashboard/*"} and its views show here.</p>}
    />
  );
}

function PageForm(props: { existing?: PageRecord }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const ids = { name: useId(), rules: useId(), exclude: useId() };
  const [name, setName] = useState(props.existing?.name ?? "");
  const [rules, setRules] = useState(props.existing?.rules.map((rule) => rule.rule).join("\n") ?? "");
  const [excludeRules, setExcludeRules] = useState(
    props.existing?.excludeRules.map((rule) => rule.rule).join("\n") ?? "",
  );
  const canManage = atLeast(session, "member");
  const save = useMutation({
    mutationFn: () => {
      const body = { name, rules: linesOf(rules), excludeRules: linesOf(excludeRules) };
      return props.existing
        ? must(api.PUT("/api/admin/pages/{id}", { params: { path: { id: props.existing.id } }, body }))
        : must(api.POST("/api/admin/pages", { body }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["pages"] });
      await queryClient.invalidateQueries({ queryKey: ["aggregation"] });
      navigate("/pages");
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <form onSubmit={submit}>
      <Panel title="Page">
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
          <label htmlFor={ids.rules}>URL rules, one a line</label>
          <textarea
            id={ids.rules}
            rows={3}
            value={rules}
            readOnly={!canManage}
            placeholder={"//*/dashboard/*"}
            onChange={(event) => setRules(event.target.value)}
          />
          <p className="muted">
            Pendo's syntax: <code>{"//*"}</code> any host, <code>*</code> one path segment, <code>**</code>{" "}
            any number, <code>?q=*</code> a query parameter.
          </p>
        </div>
        <div className="stack">
          <label htmlFor={ids.exclude}>Exclude rules, one a line (optional)</label>
          <textarea
            id={ids.exclude}
            rows={2}
            value={excludeRules}
            readOnly={!canManage}
            onChange={(event) => setExcludeRules(event.target.value)}
          />
        </div>
        <LiveCount
          request={{ kind: "page", rules: linesOf(rules), excludeRules: linesOf(excludeRules) }}
          what="page views"
        />
        {save.isError ? <ErrorNote error={save.error} /> : null}
        {canManage ? (
          <div className="row">
            <button type="submit" className="primary" disabled={save.isPending}>
              {props.existing ? "Save page" : "Tag page"}
            </button>
            <Link href="/pages">Cancel</Link>
            {props.existing ? <DeletePage page={props.existing} /> : null}
          </div>
        ) : null}
      </Panel>
    </form>
  );
}

function DeletePage(props: { page: PageRecord }) {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  return (
    <ConfirmButton
      label="Delete page"
      danger
      question={`Delete the page ${props.page.name}?`}
      detail={<p>Its events stay; they are just no longer counted as this page.</p>}
      confirmLabel="Delete"
      onConfirm={async () => {
        await mustSucceed(api.DELETE("/api/admin/pages/{id}", { params: { path: { id: props.page.id } } }));
        await queryClient.invalidateQueries({ queryKey: ["pages"] });
        navigate("/pages");
      }}
    />
  );
}

export function NewPage() {
  return (
    <Page title="Tag a page" intro={<Link href="/pages">← Pages</Link>}>
      <PageForm />
    </Page>
  );
}

export function EditPage() {
  const { id = "" } = useParams<{ id: string }>();
  const pages = usePages();
  return (
    <QueryView query={pages} what="the page">
      {(list) => {
        const page = list.find((candidate) => candidate.id === id);
        return (
          <Page title={page ? page.name : "No such page"} intro={<Link href="/pages">← Pages</Link>}>
            {page ? <PageForm existing={page} /> : <p>There is no page {id}.</p>}
          </Page>
        );
      }}
    </QueryView>
  );
}
