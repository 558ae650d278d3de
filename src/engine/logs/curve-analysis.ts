import type { MetricPoint, MetricSeries, RunHistory } from './run-history';

/**
 * The numbers the overfitting rules and the Learning Curves panel share: which series of a run are
 * its training and validation loss or accuracy, a smoothed copy of a series, the best validation
 * point and where the validation loss starts to diverge from it. Pure functions on RunHistory.
 */

/** Accuracy metric names as Keras, Lightning and Hugging Face logs write them (after split prefixes are removed). */
const ACCURACY_METRICS = new Set(['acc', 'accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy', 'binary_accuracy']);

export function isAccuracyMetric(metric: string): boolean {
  return ACCURACY_METRICS.has(metric.toLowerCase());
}

export function isLossMetric(metric: string): boolean {
  return metric.toLowerCase() === 'loss';
}

/** A training and a validation series of the same metric. */
export interface SeriesPair {
  train: MetricSeries;
  validation: MetricSeries;
}

/**
 * The training and validation series of a metric kind. Where a log has both per-step and per-epoch
 * series (Lightning's `train_loss_step` / `train_loss_epoch`), the per-epoch one is used: per-step
 * values are single batches, far noisier than the epoch means the validation series compares with.
 */
export function seriesPair(run: RunHistory, kind: 'loss' | 'accuracy'): SeriesPair | undefined {
  const matches = (s: MetricSeries) => (kind === 'loss' ? isLossMetric(s.metric) : isAccuracyMetric(s.metric));
  const pick = (split: MetricSeries['split']) => {
    const candidates = run.series.filter((s) => s.split === split && matches(s) && s.points.length > 0);
    return candidates.find((s) => s.granularity === 'epoch') ?? candidates[0];
  };
  const train = pick('train');
  const validation = pick('validation');
  return train && validation ? { train, validation } : undefined;
}

/** The points of a series up to (not including) its first NaN or infinite value. */
export function finitePrefix(points: readonly MetricPoint[]): MetricPoint[] {
  const bad = points.findIndex((p) => !Number.isFinite(p.value));
  return bad < 0 ? [...points] : points.slice(0, bad);
}

/** Window of the running median: the value and the two before it. */
export const MEDIAN_WINDOW = 3;

/**
 * A trailing running median over `MEDIAN_WINDOW` evaluations (the value and the ones before it).
 * A median, not an exponential average, because one bad evaluation (a noisy small validation set,
 * a learning-rate spike) should not move the curve at all, and it lags a real trend by only one
 * evaluation. Trailing, so a value never changes once later rows arrive (live logs stay stable).
 */
export function runningMedian(values: readonly number[], window = MEDIAN_WINDOW): number[] {
  return values.map((_, i) => median(values.slice(Math.max(0, i - window + 1), i + 1)));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The training value that goes with each validation point: the mean of the training points logged
 * since the previous evaluation (up to and including this one's step), else the last training point
 * before it. Undefined where no training point precedes the evaluation.
 */
export function alignedTrainValues(train: readonly MetricPoint[], validation: readonly MetricPoint[]): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  let j = 0;
  let last: number | undefined;
  let previousStep = -Infinity;
  for (const v of validation) {
    let sum = 0;
    let count = 0;
    while (j < train.length && train[j].step <= v.step) {
      if (train[j].step > previousStep) {
        sum += train[j].value;
        count++;
      }
      last = train[j].value;
      j++;
    }
    out.push(count > 0 ? sum / count : last);
    previousStep = v.step;
  }
  return out;
}

export interface Divergence {
  /** Index (in the finite validation points) of the best raw validation loss near the smoothed minimum. */
  bestIndex: number;
  /** The smoothed minimum the rise is measured from. */
  bestSmoothed: number;
  /** Index of the first evaluation of the final stretch above the margin. */
  startIndex: number;
  /** Evaluations in that stretch (to the end of the log). */
  evaluationsAbove: number;
  /** Smoothed value at the last evaluation, and its rise over the best, relative (0.25 = +25%). */
  lastSmoothed: number;
  rise: number;
  /** Training loss (smoothed, aligned with the evaluations) at the best point and at the end. */
  trainAtBest: number;
  trainAtEnd: number;
  points: MetricPoint[];
}

export interface DivergenceOptions {
  /** Relative rise over the best smoothed validation loss that counts as worse (0.1 = 10%). */
  margin: number;
  /** Consecutive evaluations, to the end of the log, that must stay above the margin. */
  patience: number;
}

/**
 * Whether the validation loss, smoothed by the running median, has risen above its best by more than
 * `margin` for the last `patience` evaluations or more, while the training loss is lower than it was
 * at the best point. Undefined otherwise, and when the run is too short to tell (fewer evaluations
 * after the best than `patience`), or the loss is not positive (a relative margin means nothing then).
 */
export function findDivergence(pair: SeriesPair, options: DivergenceOptions): Divergence | undefined {
  const points = finitePrefix(pair.validation.points);
  const patience = Math.max(1, Math.floor(options.patience));
  if (points.length < patience + 2) return undefined;
  const smoothed = runningMedian(points.map((p) => p.value));
  let smoothedBest = 0;
  for (let i = 1; i < smoothed.length; i++) if (smoothed[i] < smoothed[smoothedBest]) smoothedBest = i;
  const bestSmoothed = smoothed[smoothedBest];
  if (!(bestSmoothed > 0)) return undefined;
  const limit = bestSmoothed * (1 + options.margin);
  let startIndex = smoothed.length;
  while (startIndex > smoothedBest + 1 && smoothed[startIndex - 1] > limit) startIndex--;
  const evaluationsAbove = smoothed.length - startIndex;
  if (evaluationsAbove < patience) return undefined;
  const trainAligned = alignedTrainValues(finitePrefix(pair.train.points), points);
  const trainSmoothed = runningMedian(trainAligned.map((v) => v ?? NaN));
  const trainAtBest = trainSmoothed[smoothedBest];
  const trainAtEnd = trainSmoothed[trainSmoothed.length - 1];
  // Both losses rising is instability (learning rate, data), not overfitting: say nothing here.
  if (!Number.isFinite(trainAtBest) || !Number.isFinite(trainAtEnd) || !(trainAtEnd < trainAtBest)) return undefined;
  // The raw best within the median's window: the checkpoint a user would want back.
  let bestIndex = smoothedBest;
  for (let i = Math.max(0, smoothedBest - MEDIAN_WINDOW + 1); i <= smoothedBest; i++) if (points[i].value < points[bestIndex].value) bestIndex = i;
  const lastSmoothed = smoothed[smoothed.length - 1];
  return { bestIndex, bestSmoothed, startIndex, evaluationsAbove, lastSmoothed, rise: lastSmoothed / bestSmoothed - 1, trainAtBest, trainAtEnd, points };
}

/** "epoch 7, step 1,540", "step 300" or "epoch 4": how the log places a point. */
export function describePoint(point: MetricPoint, granularity: MetricSeries['granularity']): string {
  const epoch = point.epoch;
  if (granularity === 'epoch' && epoch !== undefined && epoch === point.step) return `epoch ${formatNumber(epoch)}`;
  if (epoch !== undefined) return `epoch ${formatNumber(epoch)}, step ${formatNumber(point.step)}`;
  return granularity === 'epoch' ? `epoch ${formatNumber(point.step)}` : `step ${formatNumber(point.step)}`;
}

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** A loss or accuracy value with four significant digits. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1e5 || (value !== 0 && Math.abs(value) < 1e-3) ? value.toExponential(2) : String(Number(value.toPrecision(4)));
}

/** "2 h 5 min", "14 min", "40 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Accuracy as a fraction: logs that write percentages (any value above 1) are divided by 100. */
export function accuracyScale(...series: MetricSeries[]): number {
  return series.some((s) => s.points.some((p) => Number.isFinite(p.value) && p.value > 1)) ? 0.01 : 1;
}

/** An evidence line for logs that count epochs from 0, where Keras' progress bar shows "Epoch 1/…" for epoch 0. */
export function epochNumbering(run: RunHistory): string[] {
  return run.format === 'keras-csv' || run.format === 'keras-history-json' ? ['epochs as the log numbers them, from 0 (Keras prints epoch 3 as "Epoch 4/…")'] : [];
}
