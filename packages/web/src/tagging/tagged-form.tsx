import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useId } from "react";
import { Link, useLocation } from "wouter";
import { atLeast, useSession } from "../api/session.tsx";
import { ConfirmButton } from "../ui/confirm-button.tsx";
import { Panel } from "../ui/page.tsx";
import { ErrorNote } from "../ui/states.tsx";

/** A labelled one-line or multi-line text field of a tagging form. */
export function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  readOnly: boolean;
  rows?: number;
  placeholder?: string;
  note?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="stack">
      <label htmlFor={id}>{props.label}</label>
      {props.rows ? (
        <textarea
          id={id}
          rows={props.rows}
          value={props.value}
          readOnly={props.readOnly}
          placeholder={props.placeholder}
          onChange={(event) => props.onChange(event.target.value)}
        />
      ) : (
        <input
          id={id}
          required
          value={props.value}
          readOnly={props.readOnly}
          placeholder={props.placeholder}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
      {props.note ? <p className="muted">{props.note}</p> : null}
    </div>
  );
}

/**
 * The frame of the page and feature editors: the fields, the live count, save (then back to the list, with every
 * count read again) and, for an existing object, delete after a confirmation.
 */
export function TaggedForm(props: {
  /** The list's path and query key: `pages` or `features`. */
  list: "pages" | "features";
  what: "page" | "feature";
  existing?: { id: string; name: string };
  save: () => Promise<unknown>;
  remove: (id: string) => Promise<void>;
  children: ReactNode;
}) {
  const session = useSession();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const canManage = atLeast(session, "member");
  async function backToList() {
    await queryClient.invalidateQueries({ queryKey: [props.list] });
    await queryClient.invalidateQueries({ queryKey: ["aggregation"] });
    navigate(`/${props.list}`);
  }
  const save = useMutation({ mutationFn: props.save, onSuccess: backToList });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  const { existing } = props;
  const title = props.what === "page" ? "Page" : "Feature";
  return (
    <form onSubmit={submit}>
      <Panel title={title}>
        {props.children}
        {save.isError ? <ErrorNote error={save.error} /> : null}
        {canManage ? (
          <div className="row">
            <button type="submit" className="primary" disabled={save.isPending}>
              {existing ? `Save ${props.what}` : `Tag ${props.what}`}
            </button>
            <Link href={`/${props.list}`}>Cancel</Link>
            {existing ? (
              <ConfirmButton
                label={`Delete ${props.what}`}
                danger
                question={`Delete the ${props.what} ${existing.name}?`}
                detail={<p>Its events stay; they are just no longer counted as this {props.what}.</p>}
                confirmLabel="Delete"
                onConfirm={async () => {
                  await props.remove(existing.id);
                  await backToList();
                }}
              />
            ) : null}
          </div>
        ) : null}
      </Panel>
    </form>
  );
}

/** Whether the signed-in person may change tagging (the fields are read-only otherwise). */
export function useCanTag(): boolean {
  return atLeast(useSession(), "member");
}
