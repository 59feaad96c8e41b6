import { type ReactNode, useId, useRef, useState } from "react";
import { ErrorNote } from "./states.tsx";

/**
 * A button that asks first, in a modal dialog (the browser's `<dialog>`: focus moves in, Escape closes), and shows
 * the API's error in the dialog if the action fails.
 */
export function ConfirmButton(props: {
  label: string;
  question: string;
  detail?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
      dialog.current?.close();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button
        type="button"
        className={props.danger ? "danger" : ""}
        onClick={() => dialog.current?.showModal()}
      >
        {props.label}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} onClose={() => setError(null)}>
        <h2 id={titleId}>{props.question}</h2>
        {props.detail}
        {error ? <ErrorNote error={error} /> : null}
        <div className="dialog-actions">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button
            type="button"
            className={props.danger ? "danger" : "primary"}
            disabled={busy}
            onClick={confirm}
          >
            {props.confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
