import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { explain } from "../api/api.ts";

/** An API error as the person reads it: what went wrong and, from the API's hint, what to do. */
export function ErrorNote(props: { error: unknown }) {
  const { message, hint } = explain(props.error);
  return (
    <div className="note error" role="alert">
      <strong>{message}</strong>
      {hint ? <p>{hint}</p> : null}
    </div>
  );
}

export function Loading(props: { what: string }) {
  return (
    <p className="loading" aria-busy="true">
      Loading {props.what}…
    </p>
  );
}

/** Nothing here yet, and what to do about it. */
export function Empty(props: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{props.title}</p>
      {props.children}
    </div>
  );
}

/** A query's loading and error states, then its data. */
export function QueryView<T>(props: {
  query: UseQueryResult<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (props.query.isPending) return <Loading what={props.what} />;
  if (props.query.isError) return <ErrorNote error={props.query.error} />;
  return <>{props.children(props.query.data)}</>;
}
