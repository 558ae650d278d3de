import * as path from 'node:path';
import type { LogParser, RunIdentity, RunLogResult } from '../log-parser';
import { splitOfFolder } from '../metric-names';
import type { MetricPoint, MetricSeries, MetricSplit } from '../run-history';
import { SeriesCollector, type SeriesHandle } from '../series-collector';
import { DATA_CLASS_SCALAR, decodeEvent, DT_DOUBLE, DT_FLOAT, int64, type TensorMessage, type ValueMessage } from './event-proto';
import { RecordFraming } from './record-framing';
import { scanSimpleEvent, type ScannedEvent } from './simple-event-scan';

/** Problems listed one by one before the rest are counted. */
const MAX_LISTED_PROBLEMS = 10;

interface EventFile {
  framing: RecordFraming;
  /** Series names are `<subfolder>/<tag>` for event files in a split subfolder (`train/`, `learn/`). */
  prefix: string;
  split: MetricSplit | undefined;
  /** Tags whose first value declared them scalars (TF2 writes the metadata only once per tag and file). */
  scalarTags: Set<string>;
  undecodable: number;
  firstUndecodable?: string;
  /** Tag bytes already seen, with their series: most events repeat the same few tags. */
  tags: { bytes: Buffer; handle: SeriesHandle | undefined }[];
}

/** Distinct tags remembered by their bytes per file; more are looked up by name. */
const MAX_CACHED_TAGS = 256;

/**
 * The scalars of a TensorBoard run: the event files of one folder, plus those of its split-named
 * subfolders (`train`/`validation` of Keras' TensorBoard callback, `learn`/`test` of CatBoost),
 * whose series are named `<subfolder>/<tag>` and take their split from the subfolder. Scalars come
 * from `simple_value` (TF1, PyTorch's SummaryWriter, CatBoost) and from scalar DT_FLOAT/DT_DOUBLE
 * tensors of the `scalars` plugin (TF2 `tf.summary.scalar`). Points of several files are merged by
 * step; where two files log the same step (a resumed run), the later file's value is kept.
 */
export class TensorboardRunParser implements LogParser {
  readonly format = 'tensorboard' as const;
  private readonly files = new Map<string, EventFile>();
  private readonly collector: SeriesCollector;

  constructor(private readonly identity: RunIdentity) {
    this.collector = new SeriesCollector(
      (name) => this.splitOf(name),
      (_name, _split, fromName) => fromName ?? 'step',
      identity.maxPointsPerSeries,
    );
  }

  /** For a single event file read on its own. */
  push(bytes: Buffer): void {
    this.pushFile(path.basename(this.identity.source), bytes);
  }

  /** The next bytes of one event file of the run, by its path relative to the run folder. */
  pushFile(relative: string, bytes: Buffer): void {
    this.fileState(relative).framing.push(bytes);
  }

  /** Where to resume reading an event file: the offset after its last whole record. */
  resumeOffset(relative: string): number {
    const file = this.files.get(relative);
    return file ? file.framing.offset + file.framing.pendingBytes() : 0;
  }

  result(_complete: boolean): RunLogResult {
    const where = this.identity.source;
    const problems: string[] = [];
    let records = 0;
    for (const [name, file] of this.files) {
      records += file.framing.records;
      // In a run folder, say which event file; a file read on its own is already named.
      const which = name === path.basename(where) ? '' : `${name.split(path.sep).join('/')}: `;
      for (const problem of file.framing.problems) problems.push(which + problem);
      if (file.undecodable > 0) problems.push(`${which}${file.undecodable} record(s) that are not Event protos left out (first ${file.firstUndecodable})`);
    }
    const { series, warnings } = this.collector.snapshot();
    if (records === 0 && problems.length > 0) return { ok: false, error: `${where}: ${problems[0]}` };
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
    if (problems.length > MAX_LISTED_PROBLEMS) listed.push(`${problems.length - MAX_LISTED_PROBLEMS} more problem(s)`);
    return { ok: true, run: { source: where, format: 'tensorboard', run: this.identity.run, series: series.map(mergedByStep), warnings: [...listed, ...warnings] } };
  }

  /** The series of the tag whose bytes are data[start, end). */
  private handleOf(file: EventFile, data: Buffer, start: number, end: number, guess: number): SeriesHandle | undefined {
    // Writers log the same tags in the same order event after event: try the same position first.
    const likely = file.tags[guess];
    if (likely && sameBytes(likely.bytes, data, start, end)) return likely.handle;
    for (const known of file.tags) if (sameBytes(known.bytes, data, start, end)) return known.handle;
    const tag = data.toString('utf8', start, end);
    const handle = this.collector.growing(file.prefix + tag);
    if (file.tags.length < MAX_CACHED_TAGS) file.tags.push({ bytes: Buffer.from(data.subarray(start, end)), handle });
    return handle;
  }

  private splitOf(name: string): MetricSplit {
    const slash = name.indexOf('/');
    const fromFolder = splitOfFolder(path.basename(this.identity.source));
    if (slash < 0) return fromFolder ?? 'other';
    return splitOfFolder(name.slice(0, slash)) ?? fromFolder ?? 'other';
  }

  private fileState(relative: string): EventFile {
    let file = this.files.get(relative);
    if (!file) {
      const folder = path.dirname(relative);
      const split = folder === '.' ? undefined : splitOfFolder(path.basename(folder));
      const state: EventFile = {
        prefix: split ? `${folder.split(path.sep).join('/')}/` : '',
        split,
        scalarTags: new Set(),
        undecodable: 0,
        tags: [],
        framing: new RecordFraming((data, offset) => this.record(state, data, offset)),
      };
      file = state;
      this.files.set(relative, file);
    }
    return file;
  }

  private readonly scan: ScannedEvent = { wallTime: 0, step: 0, count: 0, names: [], values: [] };

  private record(file: EventFile, data: Buffer, offset: number): void {
    const scan = this.scan;
    let scanned = false;
    try {
      scanned = scanSimpleEvent(data, scan);
    } catch {
      scanned = false; // malformed: the full decoder says what is wrong
    }
    if (scanned) {
      const wallTime = scan.wallTime > 0 ? scan.wallTime : undefined;
      for (let i = 0; i < scan.count; i++) {
        const handle = this.handleOf(file, data, scan.names[2 * i], scan.names[2 * i + 1], i);
        this.collector.addTo(handle, scan.step, scan.values[i], undefined, wallTime);
      }
      return;
    }
    let event;
    try {
      event = decodeEvent(data);
    } catch (error) {
      if (file.undecodable++ === 0) file.firstUndecodable = `at byte ${offset}: ${error instanceof Error ? error.message : String(error)}`;
      return;
    }
    const values = event.summary?.value;
    if (!values || values.length === 0) return;
    const step = int64(event.step);
    const wallTime = event.wallTime;
    for (const value of values) {
      const scalar = scalarOf(value, file.scalarTags);
      if (scalar === undefined) continue;
      const point: MetricPoint = { step, value: scalar };
      if (wallTime > 0) point.wallTime = wallTime;
      this.collector.add(file.prefix + (value.tag || value.nodeName), point);
    }
  }
}

/** Whether data[start, end) holds exactly `bytes` (a JS loop: tags are short, a native call costs more). */
function sameBytes(bytes: Buffer, data: Buffer, start: number, end: number): boolean {
  if (bytes.length !== end - start) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== data[start + i]) return false;
  return true;
}

/** The scalar a summary value holds, if it is one (remembering tags declared scalar by metadata). */
function scalarOf(value: ValueMessage, scalarTags: Set<string>): number | undefined {
  if (value.value === 'simpleValue') return value.simpleValue;
  if (value.value !== 'tensor' || !value.tensor) return undefined;
  const metadata = value.metadata;
  if (metadata && (metadata.pluginData?.pluginName === 'scalars' || metadata.dataClass === DATA_CLASS_SCALAR)) scalarTags.add(value.tag);
  if (!scalarTags.has(value.tag)) return undefined;
  return scalarTensor(value.tensor);
}

/** A DT_FLOAT or DT_DOUBLE tensor with one element (shape [] or all 1s). */
function scalarTensor(tensor: TensorMessage): number | undefined {
  const dims = tensor.tensorShape?.dim ?? [];
  if (!dims.every((d) => int64(d.size) === 1)) return undefined;
  if (tensor.dtype === DT_FLOAT) {
    if (tensor.floatVal.length > 0) return tensor.floatVal[0];
    if (tensor.tensorContent.length === 4) return Buffer.from(tensor.tensorContent).readFloatLE(0);
  } else if (tensor.dtype === DT_DOUBLE) {
    if (tensor.doubleVal.length > 0) return tensor.doubleVal[0];
    if (tensor.tensorContent.length === 8) return Buffer.from(tensor.tensorContent).readDoubleLE(0);
  }
  return undefined;
}

/** Points in step order; where two share a step, the one logged last. */
function mergedByStep(series: MetricSeries): MetricSeries {
  const points = series.points;
  let sorted = true;
  for (let i = 1; i < points.length && sorted; i++) if (points[i].step <= points[i - 1].step) sorted = false;
  if (sorted) return series;
  const ordered = points.map((p, i) => ({ p, i })).sort((a, b) => a.p.step - b.p.step || a.i - b.i);
  const merged: MetricPoint[] = [];
  for (const { p } of ordered) {
    if (merged.length > 0 && merged[merged.length - 1].step === p.step) merged[merged.length - 1] = p;
    else merged.push(p);
  }
  return { ...series, points: merged };
}
