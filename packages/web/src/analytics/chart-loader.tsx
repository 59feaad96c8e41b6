import { useEffect, useState } from "react";
import type { Series } from "./line-chart.tsx";

type ChartModule = typeof import("./line-chart.tsx");

let loaded: ChartModule | undefined;
let loading: Promise<ChartModule> | undefined;

/**
 * Starts fetching the chart's code (uPlot) if it has not started yet. The dashboard calls it as it opens, so the
 * code arrives while the aggregations run rather than after them.
 */
export function loadChart(): Promise<ChartModule> {
  loading ??= import("./line-chart.tsx").then((module) => {
    loaded = module;
    return module;
  });
  return loading;
}

/**
 * The line chart, drawn as soon as its code is here. Not `React.lazy`: a Suspense boundary holds back a
 * revealed chart for up to 300 ms (React's fallback throttle), which was a third of the dashboard's time.
 */
export function LazyLineChart(props: { days: readonly number[]; series: readonly Series[]; label: string }) {
  const [module, setModule] = useState(loaded);
  useEffect(() => {
    if (module) return;
    let current = true;
    loadChart().then((ready) => {
      if (current) setModule(ready);
    });
    return () => {
      current = false;
    };
  }, [module]);
  if (!module)
    return (
      <p className="loading chart-placeholder" aria-busy="true">
        Loading the chart…
      </p>
    );
  const LineChart = module.default;
  return <LineChart {...props} />;
}
