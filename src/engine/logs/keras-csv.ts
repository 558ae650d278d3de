import type { CsvDialect } from './csv-log';

/**
 * Keras `CSVLogger` (keras/src/callbacks/csv_logger.py, Keras 2.x and 3.x): a `csv.DictWriter`
 * whose header is `epoch` followed by the sorted names of the epoch logs (`accuracy`, `loss`,
 * `val_accuracy`, `val_loss`, …), one row per epoch, "NA" where a metric is missing that epoch,
 * `separator` configurable (default ","). The file name is the user's choice (the docs write
 * `training.log`), so the content decides: a first column `epoch` and no `step` column.
 */
export const KERAS_CSV: CsvDialect = {
  format: 'keras-csv',
  name: 'Keras CSVLogger log',
  indexColumns: ['epoch'],
  acceptsHeader: (columns) => columns.length >= 2 && columns[0] === 'epoch' && !columns.includes('step') && columns.every((c) => c.length > 0),
  position: (epoch) => (epoch === undefined ? undefined : { step: epoch, epoch }),
  // Keras names training metrics bare (`loss`) and validation ones `val_loss`.
  unprefixed: 'train',
  granularityOf: () => 'epoch',
};
