import * as fs from 'node:fs';
import { URI } from 'vscode-uri';
import type { FileResult } from '../engine/engine';
import { curveMarkers } from '../engine/logs/curve-markers';
import { findRunLogs } from '../engine/logs/read-run-log';
import type { MetricPoint } from '../engine/logs/run-history';
import type { CurveSeries, RunCurves, RunSummary } from '../protocol/learning-curves';

/** Points per series sent to the panel: a chart 2,000 px wide shows no more. */
export const MAX_DRAWN_POINTS = 2000;
/** Logs listed per workspace folder for the run picker. */
const MAX_LISTED_RUNS = 500;

/** The training runs under the workspace folders, newest first. */
export async function listRuns(roots: readonly string[]): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  for (const root of roots) {
    for (const log of await findRunLogs(root, { maxFiles: MAX_LISTED_RUNS }).catch(() => [])) {
      runs.push({ uri: URI.file(log.path).toString(), run: log.run, format: log.format, modified: modified(log.path) });
    }
  }
  return runs.sort((a, b) => b.modified - a.modified);
}

/** A checked log's curves for the panel: series thinned for drawing, markers, findings. */
export function runCurves(uri: string, result: FileResult): RunCurves | undefined {
  const run = result.run;
  if (!run) return undefined;
  let thinned = false;
  const series: CurveSeries[] = run.series.map((s) => {
    const points = thin(s.points);
    thinned ||= points.length < s.points.length;
    return { name: s.name, metric: s.metric, split: s.split, granularity: s.granularity, steps: points.map((p) => p.step), values: points.map((p) => (Number.isFinite(p.value) ? p.value : null)) };
  });
  return {
    uri,
    run: run.run,
    format: run.format,
    modified: modified(run.source),
    series,
    // The divergence is marked where the val-divergence finding (under the user's thresholds) says it starts.
    markers: curveMarkers(run, { thresholds: divergenceThresholds(result) })
      .filter((m) => m.kind !== 'divergence' || result.findings.some((f) => f.rule === 'val-divergence' && f.data?.divergenceStep === m.step))
      .map((m) => ({ ...m, value: Number.isFinite(m.value) ? m.value : null })),
    findings: result.findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message })),
    ...(thinned ? { thinnedTo: MAX_DRAWN_POINTS } : {}),
    warnings: run.warnings.slice(0, 20),
  };
}

/**
 * Every k-th point, plus each bucket's lowest and highest and the last point, so thinning keeps the
 * extremes a user looks for (the best loss, a spike) and the end of the run.
 */
function thin(points: readonly MetricPoint[]): MetricPoint[] {
  if (points.length <= MAX_DRAWN_POINTS) return [...points];
  const bucket = Math.ceil(points.length / (MAX_DRAWN_POINTS / 2));
  const kept: MetricPoint[] = [];
  for (let i = 0; i < points.length; i += bucket) {
    const slice = points.slice(i, i + bucket);
    let low = slice[0];
    let high = slice[0];
    for (const p of slice) {
      if (!Number.isFinite(p.value)) {
        low = p; // a NaN is the thing to see: keep it
        break;
      }
      if (p.value < low.value) low = p;
      if (p.value > high.value) high = p;
    }
    for (const p of low.step <= high.step ? [low, high] : [high, low]) if (kept[kept.length - 1] !== p) kept.push(p);
  }
  const last = points[points.length - 1];
  if (kept[kept.length - 1] !== last) kept.push(last);
  return kept;
}

/** The thresholds the val-divergence finding was computed with (its evidence records them in data). */
function divergenceThresholds(result: FileResult): Record<string, number> {
  const data = result.findings.find((f) => f.rule === 'val-divergence')?.data;
  const out: Record<string, number> = {};
  if (typeof data?.margin === 'number') out['val-divergence.margin'] = data.margin;
  if (typeof data?.patience === 'number') out['val-divergence.patience'] = data.patience;
  return out;
}

function modified(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
