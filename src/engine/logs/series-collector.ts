import { parseMetricName } from './metric-names';
import type { MetricPoint, MetricSeries, MetricSplit } from './run-history';

/** Points kept per series before older ones are thinned (a 100 MB log holds millions). */
export const DEFAULT_MAX_POINTS_PER_SERIES = 100_000;
/** Distinct series per run: a log with more columns than this is not a training log we can show. */
export const MAX_SERIES = 2_000;

export interface SeriesHandle {
  series: MetricSeries;
  /** Points offered so far; a point is kept when its index is a multiple of `stride`. */
  offered: number;
  stride: number;
  /** The newest point when thinning skipped it (kept apart: a live curve must end where training is). */
  lastPending: boolean;
  lastStep?: number;
  lastValue?: number;
  lastEpoch?: number;
  lastWallTime?: number;
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
      growing = { series: { name, metric: parsed.metric, split: parsed.split, granularity, points: [] }, offered: 0, stride: 1, lastPending: false, lastStep: 0, lastValue: 0, lastEpoch: undefined, lastWallTime: undefined };
      this.byName.set(name, growing);
    }
    return growing;
  }

  /** A point; its object is made only when it is kept. */
  addTo(growing: SeriesHandle | undefined, step: number, value: number, epoch?: number, wallTime?: number): void {
    if (!growing) {
      this.droppedSeries++;
      return;
    }
    const index = growing.offered++;
    const kept = index % growing.stride === 0 || !Number.isFinite(value);
    if (!kept) {
      growing.lastStep = step;
      growing.lastValue = value;
      growing.lastEpoch = epoch;
      growing.lastWallTime = wallTime;
      growing.lastPending = true;
      return;
    }
    growing.lastPending = false;
    const point: MetricPoint = { step, value };
    if (epoch !== undefined) point.epoch = epoch;
    if (wallTime !== undefined) point.wallTime = wallTime;
    const points = growing.series.points;
    points.push(point);
    if (points.length > this.maxPointsPerSeries) {
      growing.stride *= 2;
      // Keep the points that stay on the doubled stride, and every non-finite one.
      let kept = 0;
      for (let i = 0; i < points.length; i++) if (i % 2 === 0 || !Number.isFinite(points[i].value)) points[kept++] = points[i];
      points.length = kept;
    }
  }

  /** The series so far (copies of the point lists, so later adds do not change what was returned). */
  snapshot(): { series: MetricSeries[]; warnings: string[] } {
    const series: MetricSeries[] = [];
    const warnings: string[] = [];
    for (const growing of this.byName.values()) {
      const points = growing.series.points.slice();
      if (growing.lastPending) {
        const last: MetricPoint = { step: growing.lastStep!, value: growing.lastValue! };
        if (growing.lastEpoch !== undefined) last.epoch = growing.lastEpoch;
        if (growing.lastWallTime !== undefined) last.wallTime = growing.lastWallTime;
        points.push(last);
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
