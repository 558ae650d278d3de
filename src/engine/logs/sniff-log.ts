import * as path from 'node:path';
import { headerSeparator, splitCsvRow } from './csv-text';
import { KERAS_CSV } from './keras-csv';
import { LIGHTNING_CSV } from './lightning-csv';
import { isEventFileName, looksLikeRecord } from './tensorboard/read-tensorboard';
import type { LogFormat } from './run-history';

/** Bytes read from the start of a file to recognise its format. */
export const SNIFF_BYTES = 4096;

/** Names a training log file is written under (the content still decides). */
export function isRunLogCandidate(file: string): boolean {
  const name = path.basename(file).toLowerCase();
  if (isEventFileName(name) || name.endsWith('.tfevents')) return true;
  if (name === 'trainer_state.json' || name === 'metrics.csv') return true;
  const extension = path.extname(name);
  if (extension === '.csv' || extension === '.log' || extension === '.tsv') return true;
  return extension === '.json' && name.includes('history');
}

/**
 * The log format of a file from its first bytes (the name only breaks ties):
 * TensorBoard records start with a length whose checksum follows; JSON logs with `{`; CSV logs
 * with their logger's header line.
 */
export function sniffLogFormat(file: string, head: Buffer): LogFormat | undefined {
  const name = path.basename(file).toLowerCase();
  if (isEventFileName(name)) return 'tensorboard';
  if (looksLikeRecord(head)) return 'tensorboard';
  const text = head.toString('utf8').replace(/^\ufeff/, '');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    if (name === 'trainer_state.json' || /"log_history"\s*:/.test(text)) return 'hf-trainer-state';
    return 'keras-history-json';
  }
  const end = text.indexOf('\n');
  // A header longer than the sniffed bytes is not one a logger wrote.
  if (end < 0 && head.length >= SNIFF_BYTES) return undefined;
  const first = (end < 0 ? text : text.slice(0, end)).replace(/\r$/, '');
  const columns = splitCsvRow(first, headerSeparator(first)).map((c) => c.trim());
  if (KERAS_CSV.acceptsHeader(columns)) return 'keras-csv';
  if (LIGHTNING_CSV.acceptsHeader(columns)) return 'lightning-csv';
  return undefined;
}
