import { type ReactNode, useEffect } from "react";

/** A screen: its heading (also the document title), an optional line under it, and actions on the right. */
export function Page(props: { title: string; intro?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  useEffect(() => {
    document.title = `${props.title} · Cairn`;
  }, [props.title]);
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <div>
          <h1 id="page-title">{props.title}</h1>
          {props.intro ? <p className="intro">{props.intro}</p> : null}
        </div>
        {props.actions ? <div className="actions">{props.actions}</div> : null}
      </header>
      {props.children}
    </section>
  );
}

/** A titled block inside a page. */
export function Panel(props: { title: string; actions?: ReactNode; children: ReactNode; id?: string }) {
  const headingId = `${props.id ?? props.title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-title`;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <header className="panel-header">
        <h2 id={headingId}>{props.title}</h2>
        {props.actions}
      </header>
      {props.children}
    </section>
  );
}
