import { CsvLogParser } from './csv-log';
import { interpretTrainerState } from './hf-trainer-state';
import { JsonLogParser } from './json-log';
import { interpretKerasHistory } from './keras-history-json';
import { KERAS_CSV } from './keras-csv';
import { LIGHTNING_CSV } from './lightning-csv';
import type { LogParser, RunIdentity } from './log-parser';
import type { LogFormat } from './run-history';
import { TensorboardRunParser } from './tensorboard/tensorboard-run';

/** The reader of one format, fresh (no bytes read yet). */
export function parserFor(format: LogFormat, identity: RunIdentity): LogParser {
  switch (format) {
    case 'keras-csv':
      return new CsvLogParser(KERAS_CSV, identity);
    case 'lightning-csv':
      return new CsvLogParser(LIGHTNING_CSV, identity);
    case 'hf-trainer-state':
      return new JsonLogParser(format, identity, interpretTrainerState);
    case 'keras-history-json':
      return new JsonLogParser(format, identity, interpretKerasHistory);
    case 'tensorboard':
      return new TensorboardRunParser(identity);
  }
}
