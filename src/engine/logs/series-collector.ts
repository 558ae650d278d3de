import { parseMetricName } from './metric-names';
import type { MetricPoint, MetricSeries, MetricSplit } from './run-history';

/** Points kept per series before older ones are thinned (a 100 MB log holds millions). */
export const DEFAULT_MAX_POINTS_PER_SERIES = 100_000;
/** Distinct series per run: a log with more columns than this is not a training log we can show. */
export const MAX_SERIES = 2_000;
/**
 * One series while it is read: its kept points in columns, not objects, so adding a point makes no
 * object; MetricPoint objects are made once, by `SeriesCollector.snapshot`. The columns are plain
 * arrays of doubles (V8 stores them unboxed), not typed arrays: they grow in place and are not
 * counted as ArrayBuffer memory, which the readers keep to about one chunk of the file.
 * Epoch and wall time columns exist only once a point has one; NaN marks a point without
 * (readers pass only finite epochs and positive wall times, so NaN is never a real value there).
 */
export class SeriesHandle {
  /** Points offered so far; a point is kept when its index is a multiple of `stride`. */
  offered = 0;
  stride = 1;
  /** Points kept: rows [0, length) of the columns hold them (the columns may be longer). */
  length = 0;
  readonly steps: number[] = [];
  readonly values: number[] = [];
  epochs: number[] | undefined;
  wallTimes: number[] | undefined;
  /** The newest point when thinning skipped it (kept apart: a live curve must end where training is). */
  lastPending = false;
  lastStep = 0;
  lastValue = 0;
  lastEpoch: number | undefined;
  lastWallTime: number | undefined;

  constructor(readonly series: Omit<MetricSeries, 'points'>) {}

  /** The kept point at row i (object literals per shape: faster than adding properties). */
  point(i: number): MetricPoint {
    const step = this.steps[i];
    const value = this.values[i];
    const epoch = this.epochs ? this.epochs[i] : NaN;
    const wallTime = this.wallTimes ? this.wallTimes[i] : NaN;
    // x === x: not NaN, i.e. the point has one.
    if (epoch === epoch) return wallTime === wallTime ? { step, value, epoch, wallTime } : { step, value, epoch };
    return wallTime === wallTime ? { step, value, wallTime } : { step, value };
  }
}

/** An epoch or wall-time column for `length` rows none of which had one. */
function nanColumn(length: number): number[] {
  const column: number[] = [];
  for (let i = 0; i < length; i++) column.push(NaN);
  return column;
}

/**
 * Gathers points into series by name, in the order they arrive. Memory is bounded: past
 * `maxPointsPerSeries` a series keeps every 2nd, then 4th, … point (non-finite values always,
 * they are findings), and says so in a warning.
 */
export class SeriesCollector {
  private readonly byName = new Map<string, SeriesHandle>();
  private droppedSeries = 0;

  constructor(
    private readonly unprefixed: (name: string) => MetricSplit,
    private readonly granularityOf: (name: string, split: MetricSplit, fromName?: 'epoch' | 'step') => 'epoch' | 'step',
    private readonly maxPointsPerSeries = DEFAULT_MAX_POINTS_PER_SERIES,
  ) {}

  add(name: string, point: MetricPoint): void {
    const growing = this.growing(name);
    if (growing) this.addTo(growing, point.step, point.value, point.epoch, point.wallTime);
  }

  /**
   * The series of a name, to add to repeatedly without looking the name up again (readers of
   * large logs keep it per tag); undefined past MAX_SERIES.
   */
  growing(name: string): SeriesHandle | undefined {
    let growing = this.byName.get(name);
    if (!growing) {
      if (this.byName.size >= MAX_SERIES) return undefined;
      const parsed = parseMetricName(name, this.unprefixed(name));
      const granularity = this.granularityOf(name, parsed.split, parsed.granularity);
      growing = new SeriesHandle({ name, metric: parsed.metric, split: parsed.split, granularity });
      this.byName.set(name, growing);
    }
    return growing;
  }

  /** A point; nothing is allocated for it (see SeriesHandle). */
  addTo(growing: SeriesHandle | undefined, step: number, value: number, epoch?: number, wallTime?: number): void {
    if (!growing) {
      this.droppedSeries++;
      return;
    }
    const index = growing.offered++;
    // value - value is 0 for finite values, NaN for NaN and ±Infinity.
    const kept = index % growing.stride === 0 || value - value !== 0;
    if (!kept) {
      growing.lastStep = step;
      growing.lastValue = value;
      growing.lastEpoch = epoch;
      growing.lastWallTime = wallTime;
      growing.lastPending = true;
      return;
    }
    growing.lastPending = false;
    const row = growing.length;
    // Rows past `length` (left by thinning) are overwritten, never cut off: shrinking a JS array's
    // length makes V8 reallocate it as it grows again, which costs more than all the rest.
    growing.steps[row] = step;
    growing.values[row] = value;
    if (epoch !== undefined) (growing.epochs ??= nanColumn(row))[row] = epoch;
    else if (growing.epochs) growing.epochs[row] = NaN;
    if (wallTime !== undefined) (growing.wallTimes ??= nanColumn(row))[row] = wallTime;
    else if (growing.wallTimes) growing.wallTimes[row] = NaN;
    growing.length = row + 1;
    if (row + 1 > this.maxPointsPerSeries) this.halve(growing);
  }

  /** Keeps the rows that stay on the doubled stride, and every non-finite one. */
  private halve(growing: SeriesHandle): void {
    growing.stride *= 2;
    const { steps, values, epochs, wallTimes } = growing;
    let kept = 0;
    for (let i = 0; i < growing.length; i++) {
      if (i % 2 !== 0 && values[i] - values[i] === 0) continue;
      steps[kept] = steps[i];
      values[kept] = values[i];
      if (epochs) epochs[kept] = epochs[i];
      if (wallTimes) wallTimes[kept] = wallTimes[i];
      kept++;
    }
    growing.length = kept;
  }

  /** The series so far (new point objects, so later adds do not change what was returned). */
  snapshot(): { series: MetricSeries[]; warnings: string[] } {
    const series: MetricSeries[] = [];
    const warnings: string[] = [];
    for (const growing of this.byName.values()) {
      // Sized once and filled by index: pushing 100,000 points grows the array many times, and
      // the copies it leaves behind cost the young-generation collector more than the points do.
      const points = new Array<MetricPoint>(growing.length + (growing.lastPending ? 1 : 0));
      for (let i = 0; i < growing.length; i++) points[i] = growing.point(i);
      if (growing.lastPending) {
        const last: MetricPoint = { step: growing.lastStep, value: growing.lastValue };
        if (growing.lastEpoch !== undefined) last.epoch = growing.lastEpoch;
        if (growing.lastWallTime !== undefined) last.wallTime = growing.lastWallTime;
        points[growing.length] = last;
      }
      series.push({ ...growing.series, points });
      if (growing.stride > 1) {
        warnings.push(`${growing.series.name}: ${growing.offered.toLocaleString('en-US')} points, kept every ${growing.stride}th and the last (at most ${this.maxPointsPerSeries.toLocaleString('en-US')} per series)`);
      }
    }
    if (this.droppedSeries > 0) warnings.push(`more than ${MAX_SERIES} metrics: ${this.droppedSeries} further point(s) of other metrics left out`);
    return { series, warnings };
  }
}
