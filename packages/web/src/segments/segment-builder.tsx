import { useId } from "react";
import { ErrorNote } from "../ui/states.tsx";
import { useRuleFields, useRulePreview } from "./segment-queries.ts";
import { type Operator, operatorLabels, type RuleCondition, type RuleRow } from "./segment-rule.ts";

const numbers = new Intl.NumberFormat();

let nextKey = 1;
export function newRow(): RuleRow {
  return { key: nextKey++, field: "", operator: "equals", value: "" };
}

/**
 * The rows of a rule: field (suggested from the visitors' metadata), operator and value, all of which must hold.
 * Free text in the field box is checked by the server, which names the row it refuses.
 */
export function RuleRows(props: { rows: readonly RuleRow[]; onChange: (rows: RuleRow[]) => void }) {
  const fields = useRuleFields();
  const listId = useId();
  const set = (key: number, change: Partial<RuleRow>) =>
    props.onChange(props.rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  return (
    <fieldset className="rule-rows">
      <legend>Visitors whose</legend>
      <datalist id={listId}>
        {(fields.data ?? []).map((f) => (
          <option key={f.field} value={f.field}>
            {f.type || "mixed"}
          </option>
        ))}
      </datalist>
      {props.rows.map((row, index) => (
        <div className="rule-row" key={row.key} data-testid="rule-row">
          <span className="rule-and muted" aria-hidden="true">
            {index === 0 ? "" : "and"}
          </span>
          <input
            className="rule-input"
            aria-label={`Field of condition ${index + 1}`}
            list={listId}
            placeholder="metadata.custom.plan"
            value={row.field}
            spellCheck={false}
            autoCapitalize="off"
            onChange={(e) => set(row.key, { field: e.target.value })}
          />
          <select
            className="rule-input"
            aria-label={`Operator of condition ${index + 1}`}
            value={row.operator}
            onChange={(e) => set(row.key, { operator: e.target.value as Operator })}
          >
            {Object.entries(operatorLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <input
            className="rule-input"
            aria-label={`Value of condition ${index + 1}`}
            placeholder={row.operator === "exists" ? "" : "value"}
            value={row.operator === "exists" ? "" : row.value}
            disabled={row.operator === "exists"}
            onChange={(e) => set(row.key, { value: e.target.value })}
          />
          <button
            type="button"
            className="rule-remove"
            aria-label={`Remove condition ${index + 1}`}
            disabled={props.rows.length === 1}
            onClick={() => props.onChange(props.rows.filter((r) => r.key !== row.key))}
          >
            ✕
          </button>
        </div>
      ))}
      <div className="row">
        <button type="button" onClick={() => props.onChange([...props.rows, newRow()])}>
          + Add condition
        </button>
        {fields.isError ? <span className="muted">Field suggestions are unavailable.</span> : null}
      </div>
    </fieldset>
  );
}

/** How many visitors the rule matches now, and the first few of them; asked again as the rule changes. */
export function RulePreview(props: { rule: readonly RuleCondition[] }) {
  const preview = useRulePreview(props.rule);
  if (props.rule.length === 0)
    return <p className="muted live-count">Add a condition to see which visitors it matches.</p>;
  if (preview.isError) return <ErrorNote error={preview.error} />;
  const data = preview.data;
  return (
    <div className="live-count" role="status" aria-live="polite" data-testid="rule-preview">
      {data ? (
        <>
          <p>
            Matches <strong>{numbers.format(data.count)}</strong> visitor{data.count === 1 ? "" : "s"} now
            {preview.isFetching ? " (counting…)" : "."}
          </p>
          {data.sample.length > 0 ? (
            <p className="muted sample">
              {data.count > data.sample.length ? "First few: " : ""}
              {data.sample.map((id, i) => (
                <span key={id}>
                  {i > 0 ? ", " : ""}
                  <code>{id}</code>
                </span>
              ))}
            </p>
          ) : null}
        </>
      ) : (
        "Counting…"
      )}
    </div>
  );
}
