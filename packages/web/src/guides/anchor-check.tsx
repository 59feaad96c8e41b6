import { useMutation } from "@tanstack/react-query";
import { api, must } from "../api/api.ts";
import { ErrorNote } from "../ui/states.tsx";

const numbers = new Intl.NumberFormat();

/**
 * Counts what a selector matches on a page the author names: the server reads the page's HTML (as served,
 * before scripts run) and answers the count and a few of the elements. One match is what an anchor wants.
 */
export function AnchorCheck(props: { url: string; selector: string; what: string }) {
  const check = useMutation({
    mutationFn: () =>
      must(
        api.POST("/api/admin/guides/anchor-count", { body: { url: props.url, selector: props.selector } }),
      ),
  });
  const ready = props.url.trim() !== "" && props.selector.trim() !== "";
  const answer = check.data;
  return (
    <div className="anchor-check">
      <button type="button" disabled={!ready || check.isPending} onClick={() => check.mutate()}>
        {check.isPending ? "Counting…" : `Count matches of the ${props.what}`}
      </button>
      {!ready ? <span className="muted"> Give a page URL above and a selector to count.</span> : null}
      {check.isError ? <ErrorNote error={check.error} /> : null}
      {answer && check.isSuccess ? (
        <div role="status" data-testid="anchor-count">
          <p className={answer.count === 1 ? "note success" : "note"}>
            <strong>{numbers.format(answer.count)}</strong> element{answer.count === 1 ? "" : "s"} on{" "}
            <code>{answer.url}</code> match <code>{props.selector}</code>
            {answer.count === 1
              ? ": a good anchor."
              : answer.count === 0
                ? ": none (an element drawn by a script is not in the served HTML)."
                : ": the guide uses the first; a narrower selector is safer."}
          </p>
          {answer.sample.length > 0 ? (
            <ul className="anchor-sample">
              {answer.sample.map((line, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: two elements may be described alike
                <li key={i}>
                  <code>{line}</code>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
