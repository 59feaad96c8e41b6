import { useEffect, useRef, useSyncExternalStore } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface Series {
  readonly label: string;
  readonly values: readonly number[];
}

const dayTick = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });

function dayTicks(_plot: uPlot, splits: number[]): string[] {
  return splits.map((seconds) => dayTick.format(seconds * 1000));
}

function cssColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

const darkScheme = window.matchMedia("(prefers-color-scheme: dark)");

/** Whether the system is in dark mode now: the chart draws again in the other colours when it changes. */
function useDarkMode(): boolean {
  return useSyncExternalStore(
    (changed) => {
      darkScheme.addEventListener("change", changed);
      return () => darkScheme.removeEventListener("change", changed);
    },
    () => darkScheme.matches,
  );
}

/**
 * Lines over days, drawn by uPlot on a canvas (fast at any size; the numbers are also in the table beside it,
 * for screen readers). Colours come from the page's CSS variables, so it follows dark mode. Marks itself
 * `data-drawn` once drawn, which the dashboard benchmark waits for.
 */
// biome-ignore lint/style/noDefaultExport: React.lazy loads a module's default export.
export default function LineChart(props: {
  days: readonly number[];
  series: readonly Series[];
  label: string;
}) {
  const holder = useRef<HTMLDivElement>(null);
  const dark = useDarkMode();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `dark` changes the CSS variables the colours come from
  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const palette = ["--chart-1", "--chart-2", "--chart-3"].map(cssColor);
    const axis = {
      stroke: cssColor("--muted"),
      grid: { stroke: cssColor("--line") },
      ticks: { stroke: cssColor("--line") },
    };
    const plot = new uPlot(
      {
        width: Math.max(element.clientWidth, 200),
        height: 220,
        scales: { x: { time: true } },
        // Days are UTC days: ticks fall on whole days and read as dates, never hours.
        tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), "Etc/UTC"),
        axes: [
          {
            ...axis,
            space: 60,
            incrs: [86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400, 30 * 86_400],
            values: dayTicks,
          },
          { ...axis, size: 50 },
        ],
        legend: { live: false },
        series: [
          {},
          ...props.series.map((series, index) => ({
            label: series.label,
            stroke: palette[index % palette.length],
            width: 2,
            points: { show: props.days.length < 40 },
          })),
        ],
        hooks: { draw: [() => element.setAttribute("data-drawn", "true")] },
      },
      [props.days.map((day) => day / 1000), ...props.series.map((series) => [...series.values])],
      element,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(element.clientWidth, 200), height: 220 }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.days, props.series, dark]);
  return <div className="chart" ref={holder} role="img" aria-label={props.label} />;
}
