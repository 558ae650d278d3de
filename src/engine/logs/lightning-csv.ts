import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import type { CsvDialect } from './csv-log';

/**
 * PyTorch Lightning `CSVLogger` (lightning/fabric/loggers/csv_logs.py, Lightning 2.x):
 * `metrics.csv` whose header is the sorted set of every key logged so far (rewritten when a new
 * key appears), one sparse row per `log_metrics` call with `epoch` and `step` and empty cells for
 * keys not in that call. With `on_step` and `on_epoch` both set, `self.log("train_loss")` becomes
 * `train_loss_step` and `train_loss_epoch` columns (LightningModule.log docs).
 */
export const LIGHTNING_CSV: CsvDialect = {
  format: 'lightning-csv',
  name: 'Lightning metrics.csv',
  indexColumns: ['epoch', 'step'],
  acceptsHeader: (columns) =>
    columns.includes('step') && columns.some((c) => c !== 'step' && c !== 'epoch') && columns.every((c) => c.length > 0) && new Set(columns).size === columns.length,
  position: (epoch, step) => (step === undefined ? undefined : epoch === undefined ? { step } : { step, epoch }),
  // `self.log` takes any name: a bare `loss` is not known to be a training metric.
  unprefixed: 'other',
  // Without a suffix, Lightning's defaults: logged from training_step on_step, from the
  // validation/test loops on_epoch (LightningModule.log, `on_step`/`on_epoch` defaults).
  granularityOf: (_name, split, fromName) => fromName ?? (split === 'validation' || split === 'test' ? 'epoch' : 'step'),
  hyperparameters: (source) => readHparams(source),
};

/** hparams.yaml larger than this is not Lightning's flat dump of a module's arguments. */
export const MAX_HPARAMS_BYTES = 256 * 1024;

/**
 * The flat scalar hyperparameters of the `hparams.yaml` Lightning's CSVLogger writes beside
 * `metrics.csv` (`save_hyperparameters()` → `yaml.dump`). Nested values, lists and Python-tagged
 * objects are left out, and said so.
 */
export function readHparams(metricsFile: string): { hyperparameters?: Record<string, string | number | boolean>; warnings: string[] } {
  const file = path.join(path.dirname(metricsFile), 'hparams.yaml');
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return { warnings: [] };
    if (stat.size > MAX_HPARAMS_BYTES) return { warnings: [`hparams.yaml: ${stat.size.toLocaleString('en-US')} bytes, more than ${MAX_HPARAMS_BYTES / 1024} KiB: not read`] };
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { warnings: [] }; // no hparams.yaml: Lightning writes it only when there are hyperparameters
  }
  let parsed: unknown;
  try {
    parsed = load(text, { json: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { warnings: [`hparams.yaml: not read (${reason})`] };
  }
  if (parsed === null || parsed === undefined) return { warnings: [] };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) return { warnings: ['hparams.yaml: not a mapping of names to values'] };
  const hyperparameters: Record<string, string | number | boolean> = {};
  let skipped = 0;
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') hyperparameters[key] = value;
    else skipped++;
  }
  const warnings = skipped > 0 ? [`hparams.yaml: ${skipped} nested or empty value(s) left out`] : [];
  return { hyperparameters, warnings };
}
