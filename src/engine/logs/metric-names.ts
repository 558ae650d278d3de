import type { MetricSplit } from './run-history';

/**
 * What a logged metric name says about itself: which split it was measured on, what it measures,
 * and whether the logger marked it per step or per epoch. The conventions, by logger:
 * - Keras (`Model.fit` logs, CSVLogger, History): `loss`, `accuracy` are training metrics,
 *   `val_loss`, `val_accuracy` validation ones (keras/src/trainers: the `val_` prefix).
 * - Lightning (`self.log`): free names, by habit `train_loss`, `val/acc`; with `on_step` and
 *   `on_epoch` both set it logs `name_step` and `name_epoch` (LightningModule.log docs).
 * - Hugging Face Trainer: `loss` is the training loss, evaluation metrics are `eval_*`
 *   (`Trainer.evaluate`, `metric_key_prefix="eval"`), prediction ones `test_*`.
 * - Keras' TensorBoard callback: tags `epoch_loss`/`batch_loss` in `train` and `validation` run
 *   folders; CatBoost: its metric name (`Logloss`) in `learn` and `test` run folders.
 * - PyTorch tutorials' `SummaryWriter` habit: `Loss/train`, `Loss/test`.
 */
export interface ParsedMetricName {
  split: MetricSplit;
  metric: string;
  /** Only when the name says so (`_step`/`_epoch` suffix, Keras TensorBoard `batch_`/`epoch_` prefix). */
  granularity?: 'epoch' | 'step';
}

const SPLIT_WORDS: Record<string, MetricSplit> = {
  train: 'train',
  training: 'train',
  learn: 'train',
  val: 'validation',
  valid: 'validation',
  validation: 'validation',
  eval: 'validation',
  evaluation: 'validation',
  dev: 'validation',
  test: 'test',
};

/** Names that are bookkeeping, not a measurement of the model on some split. */
const NOT_A_SPLIT_METRIC = /^(lr|learning_rate|lr[-_].*|grad_norm|epoch|step|global_step|momentum|weight_decay|runtime|samples_per_second|steps_per_second|total_flos|num_input_tokens_seen)$/i;

/** Common abbreviations, so `train_acc` and `val_accuracy` pair up. */
const CANONICAL: Record<string, string> = { acc: 'accuracy' };

/** The split a run folder's name stands for (`train`, `validation`, CatBoost's `learn`/`test`), if any. */
export function splitOfFolder(folder: string): MetricSplit | undefined {
  return SPLIT_WORDS[folder.toLowerCase()];
}

/**
 * Parses a metric name. `unprefixed` is what a name without a split word means in this log:
 * `train` for Keras and Hugging Face (their `loss` is the training loss), the run folder's split
 * for TensorBoard, `other` where the logger leaves it open (Lightning).
 */
export function parseMetricName(name: string, unprefixed: MetricSplit = 'other'): ParsedMetricName {
  let rest = name.trim();
  let granularity: 'epoch' | 'step' | undefined;
  let split: MetricSplit | undefined;

  // `train/loss`, `Loss/train`, `val/acc_epoch`: a path-like tag with the split as one component.
  const parts = rest.split('/').filter((p) => p.length > 0);
  if (parts.length > 1) {
    const index = parts.findIndex((p) => SPLIT_WORDS[p.toLowerCase()] !== undefined);
    if (index === 0 || index === parts.length - 1) {
      split = SPLIT_WORDS[parts[index].toLowerCase()];
      parts.splice(index, 1);
      rest = parts.join('/');
    }
  }

  const suffix = /[_\-.](step|epoch)$/i.exec(rest);
  if (suffix && suffix.index > 0) {
    granularity = suffix[1].toLowerCase() === 'step' ? 'step' : 'epoch';
    rest = rest.slice(0, suffix.index);
  }

  if (split === undefined) {
    const prefix = /^([A-Za-z]+)[_\-.](.+)$/.exec(rest);
    const word = prefix ? SPLIT_WORDS[prefix[1].toLowerCase()] : undefined;
    if (prefix && word) {
      split = word;
      rest = prefix[2];
    } else {
      const trailing = /^(.+)[_\-.]([A-Za-z]+)$/.exec(rest);
      const after = trailing ? SPLIT_WORDS[trailing[2].toLowerCase()] : undefined;
      if (trailing && after) {
        split = after;
        rest = trailing[1];
      }
    }
  }

  // Keras' TensorBoard callback: `epoch_loss`, `batch_loss` (and `evaluation_loss_vs_iterations`).
  const kerasTag = /^(epoch|batch)_(.+)$/.exec(rest);
  if (kerasTag && granularity === undefined) {
    granularity = kerasTag[1] === 'epoch' ? 'epoch' : 'step';
    rest = kerasTag[2];
  }

  const metric = CANONICAL[rest.toLowerCase()] ?? rest;
  if (NOT_A_SPLIT_METRIC.test(metric)) return { split: 'other', metric, granularity };
  return { split: split ?? unprefixed, metric, granularity };
}
