import type { CurveMarker, CurveSeries, RunCurves } from '../../src/protocol/learning-curves';

/** One line of a chart: a series of one run. */
export interface ChartLine {
  label: string;
  runIndex: number;
  split: CurveSeries['split'];
  steps: number[];
  values: (number | null)[];
}

/** One chart per metric (loss, accuracy, …), every shown run's train and validation lines on it. */
export interface MetricChart {
  metric: string;
  lines: ChartLine[];
  markers: (CurveMarker & { runIndex: number })[];
  /** Whether x is the epoch for every line (else the step). */
  xLabel: string;
}

/** Metrics drawn first, in this order; others follow alphabetically. */
const FIRST = ['loss', 'accuracy'];
/** Charts per page: a log with hundreds of metrics draws its first ones, the table lists the rest. */
export const MAX_CHARTS = 12;

/**
 * Groups the shown runs' series by metric. Where a run logs a metric both per step and per epoch
 * (Lightning's `_step`/`_epoch`), the per-epoch series is drawn: it is what the validation line
 * compares with, and the per-step one would hide it under noise.
 */
export function metricCharts(runs: readonly RunCurves[]): MetricChart[] {
  const byMetric = new Map<string, MetricChart>();
  runs.forEach((run, runIndex) => {
    const kept = run.series.filter((s) => s.steps.length > 0 && !run.series.some((o) => o !== s && o.metric === s.metric && o.split === s.split && o.granularity === 'epoch' && s.granularity === 'step'));
    for (const series of kept) {
      let chart = byMetric.get(series.metric);
      if (!chart) byMetric.set(series.metric, (chart = { metric: series.metric, lines: [], markers: [], xLabel: 'epoch' }));
      if (series.granularity === 'step' || run.format === 'hf-trainer-state' || run.format === 'lightning-csv' || run.format === 'tensorboard') chart.xLabel = 'step';
      chart.lines.push({ label: runs.length > 1 ? `${run.run}: ${series.name}` : series.name, runIndex, split: series.split, steps: series.steps, values: series.values });
    }
    for (const marker of run.markers) byMetric.get(marker.metric)?.markers.push({ ...marker, runIndex });
  });
  const rank = (metric: string) => (FIRST.includes(metric) ? FIRST.indexOf(metric) : FIRST.length);
  return [...byMetric.values()].sort((a, b) => rank(a.metric) - rank(b.metric) || a.metric.localeCompare(b.metric)).slice(0, MAX_CHARTS);
}

/**
 * The lines on one shared, sorted x axis (what uPlot draws): each line's value at each x, null where
 * it has none (uPlot then bridges the gap with `spanGaps`).
 */
export function alignedData(lines: readonly ChartLine[]): [number[], ...(number | null)[][]] {
  const xs = [...new Set(lines.flatMap((l) => l.steps))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = lines.map((line) => {
    const column: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    line.steps.forEach((step, i) => (column[index.get(step)!] = line.values[i]));
    return column;
  });
  return [xs, ...columns];
}
