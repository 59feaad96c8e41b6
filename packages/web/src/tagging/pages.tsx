import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "wouter";
import { api, must, mustSucceed } from "../api/api.ts";
import { atLeast, useSession } from "../api/session.tsx";
import { Page } from "../ui/page.tsx";
import { QueryView } from "../ui/states.tsx";
import { LiveCount } from "./live-count.tsx";
import { linesOf } from "./rule-lines.ts";
import { TaggedForm, TextField, useCanTag } from "./tagged-form.tsx";
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
  const canManage = useCanTag();
  const [name, setName] = useState(props.existing?.name ?? "");
  const [rules, setRules] = useState(props.existing?.rules.map((rule) => rule.rule).join("\n") ?? "");
  const [excludeRules, setExcludeRules] = useState(
    props.existing?.excludeRules.map((rule) => rule.rule).join("\n") ?? "",
  );
  const body = { name, rules: linesOf(rules), excludeRules: linesOf(excludeRules) };
  return (
    <TaggedForm
      list="pages"
      what="page"
      existing={props.existing}
      save={() =>
        props.existing
          ? must(api.PUT("/api/admin/pages/{id}", { params: { path: { id: props.existing.id } }, body }))
          : must(api.POST("/api/admin/pages", { body }))
      }
      remove={(id) => mustSucceed(api.DELETE("/api/admin/pages/{id}", { params: { path: { id } } }))}
    >
      <TextField label="Name" value={name} onChange={setName} readOnly={!canManage} />
      <TextField
        label="URL rules, one a line"
        rows={3}
        value={rules}
        onChange={setRules}
        readOnly={!canManage}
        placeholder={"//*/dashboard/*"}
        note={
          <>
            Pendo's syntax: <code>{"//*"}</code> any host, <code>*</code> one path segment, <code>**</code>{" "}
            any number, <code>?q=*</code> a query parameter.
          </>
        }
      />
      <TextField
        label="Exclude rules, one a line (optional)"
        rows={2}
        value={excludeRules}
        onChange={setExcludeRules}
        readOnly={!canManage}
      />
      <LiveCount
        request={{ kind: "page", rules: body.rules, excludeRules: body.excludeRules }}
        what="page views"
      />
    </TaggedForm>
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
