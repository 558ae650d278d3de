import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunLogResult } from './log-parser';
import { parserFor } from './parser-for';
import { readFileChunks, readHeadBytes } from './read-file-chunks';
import { readTensorboard } from './tensorboard/read-tensorboard';
import type { LogFormat } from './run-history';
import { sniffLogFormat, SNIFF_BYTES } from './sniff-log';

export type { RunLogResult } from './log-parser';
export { isRunLogCandidate } from './sniff-log';
export { findRunLogs, type FoundRunLog } from './find-run-logs';

export interface ReadRunLogOptions {
  /** Folder the run's name is relative to (the workspace folder); defaults to the log's folder. */
  root?: string;
  signal?: AbortSignal;
  /** Points kept per series before thinning (default 100,000). */
  maxPointsPerSeries?: number;
}

/**
 * The human name of a run: for logs that are one file per run folder (Lightning, Hugging Face,
 * TensorBoard) the folder, otherwise the file, relative to `root`.
 */
export function runName(source: string, format: LogFormat, root: string | undefined): string {
  const oneFilePerFolder = format === 'lightning-csv' || format === 'hf-trainer-state' || format === 'tensorboard';
  const named = oneFilePerFolder && !isDirectory(source) ? path.dirname(source) : source;
  const relative = root ? path.relative(root, named) : path.basename(named);
  return (relative === '' ? path.basename(named) : relative).split(path.sep).join('/');
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Reads a training log, whatever wrote it, into a RunHistory; the format is recognised from the
 * content (the name only as a hint). Never throws: an unreadable or unrecognised file is an error
 * naming the file and what is wrong.
 */
export async function readRunLog(file: string, options: ReadRunLogOptions = {}): Promise<RunLogResult> {
  const source = path.resolve(file);
  if (isDirectory(source)) {
    const identity = { source, run: runName(source, 'tensorboard', options.root), maxPointsPerSeries: options.maxPointsPerSeries };
    return guarded(source, options.signal, () => readTensorboard(source, identity, options.signal));
  }
  let head: Buffer;
  try {
    head = await readHeadBytes(source, SNIFF_BYTES);
  } catch (error) {
    return { ok: false, error: `${source}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  if (head.length === 0) return { ok: false, error: `${source}: empty file` };
  const format = sniffLogFormat(source, head);
  if (!format) return { ok: false, error: `${source}: not a training log DL Doctor reads (Keras CSVLogger, Lightning metrics.csv, trainer_state.json, Keras History JSON, TensorBoard events)` };
  const parser = parserFor(format, { source, run: runName(source, format, options.root), maxPointsPerSeries: options.maxPointsPerSeries });
  return guarded(source, options.signal, async () => {
    await readFileChunks(source, 0, (bytes) => parser.push(bytes), options.signal);
    return parser.result(true);
  });
}

/** Runs a read, turning a file-system failure or a cancellation into an error naming the file. */
async function guarded(source: string, signal: AbortSignal | undefined, read: () => Promise<RunLogResult>): Promise<RunLogResult> {
  try {
    return await read();
  } catch (error) {
    if (signal?.aborted) return { ok: false, error: `${source}: reading cancelled` };
    return { ok: false, error: `${source}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
}
