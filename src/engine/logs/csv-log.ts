import { headerSeparator, LineSplitter, parseCell, splitCsvRow } from './csv-text';
import type { LogParser, RunIdentity, RunLogResult } from './log-parser';
import type { LogFormat, MetricSplit, RunHistory } from './run-history';
import { SeriesCollector, type SeriesHandle } from './series-collector';

/** How one CSV logger's rows become points. */
export interface CsvDialect {
  format: LogFormat;
  /** The logger in words, for messages: "Keras CSVLogger log". */
  name: string;
  /** Columns that index a row (epoch, step) rather than hold a metric. */
  indexColumns: readonly string[];
  /** Whether a header line is one this logger writes. */
  acceptsHeader(columns: readonly string[]): boolean;
  /** Step and epoch of a row from its index cells; undefined: the row has none. */
  position(epoch: number | undefined, step: number | undefined): { step: number; epoch?: number } | undefined;
  unprefixed: MetricSplit;
  granularityOf(name: string, split: MetricSplit, fromName?: 'epoch' | 'step'): 'epoch' | 'step';
  /** Hyperparameters the logger writes beside the log (Lightning's hparams.yaml). */
  hyperparameters?(source: string): { hyperparameters?: Record<string, string | number | boolean>; warnings: string[] };
}

interface BadCells {
  count: number;
  first: string;
}

/**
 * A CSV log read row by row as its bytes arrive. The first line is the header; a later line that
 * is a header again (a resumed run appending with other metrics) replaces it, with a warning; rows
 * whose cell count differs from the header's are left out, with a warning.
 */
export class CsvLogParser implements LogParser {
  readonly format: LogFormat;
  private readonly lines: LineSplitter;
  private readonly collector: SeriesCollector;
  private columns: string[] | undefined;
  private layout: { epochAt: number; stepAt: number; handles: (SeriesHandle | undefined | null)[] } | undefined;
  private separator = ',';
  private headerError: string | undefined;
  private readonly warnings: string[] = [];
  private readonly badCells = new Map<string, BadCells>();
  private wrongWidth = { count: 0, first: 0 };
  private rows = 0;
  /** `result(true)` was called: the file is whole, nothing more comes. */
  private finished = false;

  constructor(
    private readonly dialect: CsvDialect,
    private readonly identity: RunIdentity,
  ) {
    this.format = dialect.format;
    this.lines = new LineSplitter((line, n) => this.line(line, n));
    this.collector = new SeriesCollector(() => dialect.unprefixed, dialect.granularityOf, identity.maxPointsPerSeries);
  }

  push(bytes: Buffer): void {
    if (this.finished) throw new Error('CsvLogParser: push after the complete file was read');
    if (this.headerError === undefined) this.lines.push(bytes);
  }

  result(complete: boolean): RunLogResult {
    const where = this.identity.source;
    if (this.headerError) return { ok: false, error: `${where}: ${this.headerError}` };
    // A complete file's unterminated last line is a row; a growing file's is a write in progress.
    if (complete && !this.finished) {
      this.finished = true;
      const pending = this.lines.pending();
      if (pending) this.line(pending.line, pending.lineNumber);
    }
    if (!this.columns) return { ok: false, error: `${where}: empty ${this.dialect.name}: no header line` };
    const { series, warnings } = this.collector.snapshot();
    const all = [...this.warnings];
    if (this.wrongWidth.count > 0) all.push(`${this.wrongWidth.count} row(s) with a different number of cells than the header left out (first at line ${this.wrongWidth.first})`);
    for (const [column, bad] of this.badCells) all.push(`${column}: ${bad.count} non-numeric value(s) left out (first ${bad.first})`);
    all.push(...warnings);
    if (this.rows === 0) all.push('no rows yet: the header only');
    const run: RunHistory = { source: where, format: this.format, run: this.identity.run, series, warnings: all };
    const side = this.dialect.hyperparameters?.(where);
    if (side?.hyperparameters) run.hyperparameters = side.hyperparameters;
    if (side) all.push(...side.warnings);
    return { ok: true, run };
  }

  private line(line: string, lineNumber: number): void {
    if (this.headerError !== undefined) return;
    if (line.trim() === '') return;
    if (!this.columns) {
      const line0 = lineNumber === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
      this.separator = headerSeparator(line0);
      const columns = splitCsvRow(line0, this.separator).map((c) => c.trim());
      if (!this.dialect.acceptsHeader(columns)) {
        this.headerError = `not a ${this.dialect.name}: the first line is not its header (columns ${columns.slice(0, 5).join(', ')}${columns.length > 5 ? ', …' : ''})`;
        return;
      }
      this.setColumns(columns);
      return;
    }
    if (this.plainRow(line, lineNumber)) return;
    const cells = splitCsvRow(line, this.separator);
    if (cells.length !== this.columns.length) {
      const asHeader = cells.map((c) => c.trim());
      if (parseCell(asHeader[0]) === undefined && this.dialect.acceptsHeader(asHeader)) {
        this.warnings.push(`columns changed at line ${lineNumber}: ${this.columns.length} → ${asHeader.length} (${asHeader.join(', ')})`);
        this.setColumns(asHeader);
        return;
      }
      if (this.wrongWidth.count++ === 0) this.wrongWidth.first = lineNumber;
      return;
    }
    const columns = this.columns;
    if (parseCell(cells[0]) === undefined && cells.every((c, i) => c.trim() === columns[i])) return; // the header again
    const layout = this.layout!;
    const epoch = layout.epochAt < 0 ? undefined : finite(parseCell(cells[layout.epochAt]));
    const step = layout.stepAt < 0 ? undefined : finite(parseCell(cells[layout.stepAt]));
    const position = this.dialect.position(epoch, step);
    if (!position) {
      this.badCell(columns[0], cells[0], lineNumber);
      return;
    }
    this.rows++;
    for (let i = 0; i < columns.length; i++) {
      if (i === layout.epochAt || i === layout.stepAt) continue;
      const value = parseCell(cells[i]);
      if (value === null) continue;
      if (value === undefined) {
        this.badCell(columns[i], cells[i], lineNumber);
        continue;
      }
      // Series are made on their first value, so a column that stays empty lists no series.
      let handle = layout.handles[i];
      if (handle === null) handle = layout.handles[i] = this.collector.growing(columns[i]);
      this.collector.addTo(handle, position.step, value, position.epoch);
    }
  }

  /** Start of each cell of the row `plainRow` reads, and the end of the last (reused: no array per row). */
  private readonly cuts: number[] = [];

  /**
   * The common row, read without splitting it into an array: no quotes, as many cells as the
   * header, a first cell that is a number and a position. Returns false, having changed nothing,
   * for any other row: the general path then reads it.
   */
  private plainRow(line: string, lineNumber: number): boolean {
    if (line.includes('"')) return false;
    const columns = this.columns!;
    const cuts = this.cuts;
    const separator = this.separator;
    let count = 0;
    let at = 0;
    for (;;) {
      if (count === columns.length) return false; // more cells than the header
      cuts[count++] = at;
      const next = line.indexOf(separator, at);
      if (next < 0) break;
      at = next + 1;
    }
    if (count !== columns.length) return false;
    cuts[count] = line.length + 1; // each cell ends one before the next one's start
    if (parseCell(line.slice(0, cuts[1] - 1)) === undefined) return false;
    const layout = this.layout!;
    const epoch = layout.epochAt < 0 ? undefined : finite(parseCell(line.slice(cuts[layout.epochAt], cuts[layout.epochAt + 1] - 1)));
    const step = layout.stepAt < 0 ? undefined : finite(parseCell(line.slice(cuts[layout.stepAt], cuts[layout.stepAt + 1] - 1)));
    const position = this.dialect.position(epoch, step);
    if (!position) return false;
    this.rows++;
    for (let i = 0; i < count; i++) {
      if (i === layout.epochAt || i === layout.stepAt) continue;
      const text = line.slice(cuts[i], cuts[i + 1] - 1);
      const value = parseCell(text);
      if (value === null) continue;
      if (value === undefined) {
        this.badCell(columns[i], text, lineNumber);
        continue;
      }
      let handle = layout.handles[i];
      if (handle === null) handle = layout.handles[i] = this.collector.growing(columns[i]);
      this.collector.addTo(handle, position.step, value, position.epoch);
    }
    return true;
  }

  /** Where the index columns are and each metric column's series, for the current header. */
  private setColumns(columns: string[]): void {
    this.columns = columns;
    this.layout = { epochAt: columns.indexOf('epoch'), stepAt: this.dialect.indexColumns.includes('step') ? columns.indexOf('step') : -1, handles: columns.map(() => null) };
  }

  private badCell(column: string, cell: string, lineNumber: number): void {
    const bad = this.badCells.get(column);
    if (bad) bad.count++;
    else this.badCells.set(column, { count: 1, first: `${JSON.stringify(cell.slice(0, 40))} at line ${lineNumber}` });
  }
}

function finite(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
