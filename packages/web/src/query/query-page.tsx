import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { aggregate } from "../analytics/aggregate.ts";
import { LazyLineChart } from "../analytics/chart-loader.tsx";
import { dayLabel, dayRangeOf, daysOf, presets } from "../analytics/range.ts";
import { CopyButton } from "../ui/copy-button.tsx";
import { Page, Panel } from "../ui/page.tsx";
import { ScrollRegion } from "../ui/scroll-region.tsx";
import { Empty, QueryView } from "../ui/states.tsx";
import { Switch } from "../ui/switch.tsx";
import {
  groupChoices,
  type MeasureName,
  measures,
  pipelineOf,
  type Question,
  requestOf,
  type SourceName,
  sources,
} from "./query-builder.ts";

const numbers = new Intl.NumberFormat();

type Row = Record<string, unknown>;

function Select<T extends string>(props: {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  const id = useId();
  return (
    <div className="stack">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(event) => props.onChange(event.target.value as T)}>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Answer(props: { question: Question; rows: Row[] }) {
  const { question, rows } = props;
  const days = useMemo(() => daysOf(question.range), [question.range]);
  const series = useMemo(() => {
    const byDay = new Map(rows.map((row) => [row.day, Number(row[question.measure] ?? 0)]));
    return [{ label: measures[question.measure].label, values: days.map((day) => byDay.get(day) ?? 0) }];
  }, [rows, days, question.measure]);
  if (rows.length === 0) return <Empty title="No events match in this range." />;
  return (
    <>
      {question.groupBy === "day" ? (
        <LazyLineChart days={days} series={series} label={`${measures[question.measure].label} per day`} />
      ) : null}
      <ScrollRegion label="Answer">
        <table>
          <thead>
            <tr>
              <th scope="col">{question.groupBy}</th>
              <th scope="col">{measures[question.measure].label}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={String(row[question.groupBy])}>
                <td>
                  {question.groupBy === "day"
                    ? dayLabel.format(Number(row.day))
                    : String(row[question.groupBy] ?? "(none)")}
                </td>
                <td>{numbers.format(Number(row[question.measure] ?? 0))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}

/** Pick a source, a range, a group-by and a measure; see the answer and the aggregation that asks it. */
export function QueryPage() {
  const [source, setSource] = useState<SourceName>("events");
  const [preset, setPreset] = useState<string>("30d");
  const [groupBy, setGroupBy] = useState("day");
  const [measure, setMeasure] = useState<MeasureName>("visitors");
  const [showExcluded, setShowExcluded] = useState(false);
  const range = useMemo(() => dayRangeOf({ preset }), [preset]);
  const choices = groupChoices(source);
  const question: Question = {
    source,
    range,
    groupBy: choices.includes(groupBy) ? groupBy : "day",
    measure,
    showExcluded,
  };
  const rows = useQuery({
    queryKey: ["aggregation", "query-page", question],
    queryFn: () => aggregate<Row>(pipelineOf(question)),
  });
  const json = JSON.stringify(requestOf(question), null, 2);
  return (
    <Page
      title="Query"
      intro="Ask a question of your data; copy the aggregation behind it for POST /api/v1/aggregation or cairn query."
    >
      <Panel title="Question">
        <div className="inline-form">
          <Select
            label="Source"
            value={source}
            options={Object.entries(sources).map(([value, { label }]) => ({
              value: value as SourceName,
              label,
            }))}
            onChange={setSource}
          />
          <Select
            label="Range"
            value={preset}
            options={presets.map((option) => ({ value: option.id as string, label: option.label }))}
            onChange={setPreset}
          />
          <Select
            label="Group by"
            value={question.groupBy}
            options={choices.map((choice) => ({ value: choice, label: choice }))}
            onChange={setGroupBy}
          />
          <Select
            label="Measure"
            value={measure}
            options={Object.entries(measures).map(([value, { label }]) => ({
              value: value as MeasureName,
              label,
            }))}
            onChange={setMeasure}
          />
          <Switch checked={showExcluded} onChange={setShowExcluded}>
            Include excluded traffic
          </Switch>
        </div>
      </Panel>
      <Panel title="Answer">
        <QueryView query={rows} what="the answer">
          {(data) => <Answer question={question} rows={data} />}
        </QueryView>
      </Panel>
      <Panel title="The aggregation" actions={<CopyButton text={json} label="Copy JSON" />}>
        <ScrollRegion label="Aggregation JSON" className="snippet-box">
          <pre className="snippet">
            <code>{json}</code>
          </pre>
        </ScrollRegion>
      </Panel>
    </Page>
  );
}
