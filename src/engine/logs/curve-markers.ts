import { threshold, type RuleConfig } from '../config';
import { DEFAULT_MARGIN, DEFAULT_PATIENCE } from '../rules/val-divergence';
import { describePoint, findDivergence, finitePrefix, formatValue, isLossMetric, seriesPair } from './curve-analysis';
import type { RunHistory } from './run-history';

/** A point worth marking on a run's chart. */
export interface CurvePoint {
  kind: 'best' | 'divergence' | 'nan';
  series: string;
  metric: string;
  step: number;
  value: number;
  label: string;
}

/**
 * The points the Learning Curves panel marks, computed as the rules compute them: the best validation
 * loss, where its divergence starts (when `val-divergence` would report the run under these
 * thresholds), and the first non-finite value of each loss series.
 */
export function curveMarkers(run: RunHistory, config?: RuleConfig): CurvePoint[] {
  const markers: CurvePoint[] = [];
  const pair = seriesPair(run, 'loss');
  if (pair) {
    const { validation } = pair;
    const points = finitePrefix(validation.points);
    if (points.length > 0) {
      const best = points.reduce((a, b) => (b.value < a.value ? b : a));
      markers.push({ kind: 'best', series: validation.name, metric: validation.metric, step: best.step, value: best.value, label: `best ${validation.name} ${formatValue(best.value)} at ${describePoint(best, validation.granularity)}` });
    }
    const divergence = findDivergence(pair, {
      margin: threshold(config, 'val-divergence.margin', DEFAULT_MARGIN),
      patience: threshold(config, 'val-divergence.patience', DEFAULT_PATIENCE),
    });
    if (divergence) {
      const start = divergence.points[divergence.startIndex];
      markers.push({ kind: 'divergence', series: validation.name, metric: validation.metric, step: start.step, value: start.value, label: `divergence from ${describePoint(start, validation.granularity)} (+${Math.round(divergence.rise * 100)}% at the end)` });
    }
  }
  for (const series of run.series) {
    if (!isLossMetric(series.metric)) continue;
    const index = series.points.findIndex((p) => !Number.isFinite(p.value));
    if (index < 0) continue;
    const point = series.points[index];
    // Drawn at the last finite value (a NaN has no height), labelled with where the NaN came.
    const before = index > 0 ? series.points[index - 1].value : 0;
    markers.push({ kind: 'nan', series: series.name, metric: series.metric, step: point.step, value: before, label: `${series.name} is ${point.value} from ${describePoint(point, series.granularity)}` });
  }
  return markers;
}
