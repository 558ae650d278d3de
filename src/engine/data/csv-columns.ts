import * as fs from 'node:fs';
import { parse } from 'csv-parse';

export interface ColumnCounts {
  /** Value → rows, in first-seen order. */
  counts: Map<string, number>;
  rows: number;
  /** The pass stopped at the byte or row cap: counts cover the first `rows` rows only. */
  capped: boolean;
  /** The column was not found in the header, or a row is too short to hold it. */
  error?: string;
  /** More distinct values than a class column would have (or non-integer numbers): a regression target. */
  continuous?: boolean;
}

export interface ColumnOptions {
  /** Column name (header row) or 0-based index (`header=None`). */
  column: string | number;
  delimiter: string;
  /** The first record (after `skipRecords`) is a header row. */
  header: boolean;
  skipRecords: number;
  /** `nrows`: data rows read at most. */
  maxRows?: number;
  maxBytes?: number;
  maxDistinct?: number;
  signal?: AbortSignal;
}

const DEFAULT_MAX_BYTES = 256 * 2 ** 20;
const DEFAULT_MAX_DISTINCT = 1000;

/**
 * Counts the values of one column with csv-parse (quotes, escapes, CRLF as RFC 4180 and pandas read
 * them), streaming with a byte cap so a multi-gigabyte file costs bounded time and memory.
 */
export function countColumnValues(file: string, options: ColumnOptions): Promise<ColumnCounts> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxDistinct = options.maxDistinct ?? DEFAULT_MAX_DISTINCT;
  const result: ColumnCounts = { counts: new Map(), rows: 0, capped: false };
  let end: number;
  try {
    end = readEnd(file, maxBytes);
  } catch (error) {
    return Promise.resolve({ ...result, error: error instanceof Error ? error.message : String(error) });
  }
  result.capped = end < fs.statSync(file).size;
  return new Promise((resolve) => {
    const input = fs.createReadStream(file, { start: 0, end: Math.max(0, end - 1) });
    const parser = parse({ delimiter: options.delimiter, relax_column_count: true, skip_empty_lines: true, from_line: 1, bom: true });
    let index = typeof options.column === 'number' ? options.column : -1;
    let seen = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      input.destroy();
      parser.destroy();
      resolve(result);
    };
    input.on('data', () => {
      if (options.signal?.aborted) finish();
    });
    input.on('error', (error) => {
      result.error = error.message;
      finish();
    });
    parser.on('readable', () => {
      let record: string[] | null;
      while (!done && (record = parser.read() as string[] | null) !== null) {
        seen++;
        if (seen <= options.skipRecords) continue;
        if (options.header && seen === options.skipRecords + 1) {
          if (typeof options.column === 'string') index = record.indexOf(options.column);
          if (index < 0) {
            result.error = `no column "${String(options.column)}" in the header`;
            return finish();
          }
          continue;
        }
        if (options.maxRows !== undefined && result.rows >= options.maxRows) return finish();
        const value = record[index];
        if (value === undefined) {
          result.error = `row ${seen} has no column ${String(options.column)}`;
          return finish();
        }
        result.rows++;
        result.counts.set(value, (result.counts.get(value) ?? 0) + 1);
        if (result.counts.size > maxDistinct || (value.trim() !== '' && !Number.isInteger(Number(value)) && Number.isFinite(Number(value)))) {
          result.continuous = true;
          return finish();
        }
      }
    });
    parser.on('error', (error) => {
      // A cut at the byte cap can end inside a quoted field; the counts so far stand.
      if (!result.capped) result.error = error.message;
      finish();
    });
    parser.on('end', finish);
    input.pipe(parser);
  });
}

/**
 * Where to stop reading: the whole file when it fits the cap, else just after the last newline before
 * the cap, so no half row is counted (a quoted field spanning that newline is the rare exception).
 */
function readEnd(file: string, maxBytes: number): number {
  const size = fs.statSync(file).size;
  if (size <= maxBytes) return size;
  const fd = fs.openSync(file, 'r');
  try {
    const window = Buffer.alloc(Math.min(maxBytes, 1 << 16));
    const from = maxBytes - window.length;
    const read = fs.readSync(fd, window, 0, window.length, from);
    const newline = window.subarray(0, read).lastIndexOf(10);
    return newline < 0 ? maxBytes : from + newline + 1;
  } finally {
    fs.closeSync(fd);
  }
}
