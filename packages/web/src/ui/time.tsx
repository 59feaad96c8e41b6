const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 30],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

/** "3 minutes ago", "in 2 days". */
export function ago(at: Date, now = Date.now()): string {
  let amount = (at.getTime() - now) / 1000;
  for (const [unit, size] of steps) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return dateTime.format(at);
}

/** A moment in the viewer's time zone; the relative form as its tooltip. */
export function Time(props: { at: string | number | null; empty?: string }) {
  if (props.at === null) return <span className="muted">{props.empty ?? "never"}</span>;
  const at = new Date(props.at);
  return (
    <time dateTime={at.toISOString()} title={ago(at)}>
      {dateTime.format(at)}
    </time>
  );
}
