import { CsvLogParser } from './csv-log';
import { KERAS_CSV } from './keras-csv';
import type { LogParser, RunIdentity } from './log-parser';
import type { LogFormat } from './run-history';

/** The reader of one format, fresh (no bytes read yet). */
export function parserFor(format: LogFormat, identity: RunIdentity): LogParser | undefined {
  switch (format) {
    case 'keras-csv':
      return new CsvLogParser(KERAS_CSV, identity);
    default:
      return undefined;
  }
}
