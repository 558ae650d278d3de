/**
 * What every training-log reader returns, whatever wrote the log (Keras CSVLogger, Lightning's
 * metrics.csv, Hugging Face trainer_state.json, TensorBoard event files, a saved Keras History):
 * one series per metric, each point with the step or epoch it was logged at and, where the log
 * records it, the wall time. Rules and the Learning Curves panel read only this type.
 */

export type LogFormat = 'keras-csv' | 'lightning-csv' | 'hf-trainer-state' | 'keras-history-json' | 'tensorboard';

export interface MetricPoint {
  /** Global step when the log has one; otherwise the epoch index. */
  step: number;
  /** Epoch, fractional where the log records it so (Hugging Face logs epoch 0.5). */
  epoch?: number;
  /** Seconds since the Unix epoch, where the log records wall time. */
  wallTime?: number;
  /** NaN and ±Infinity are kept: they are findings, not noise. */
  value: number;
}

/** Which part of the data a series was measured on, from its name (`val_loss`, `eval_loss`, `train/loss`). */
export type MetricSplit = 'train' | 'validation' | 'test' | 'other';

export interface MetricSeries {
  /** The name as the log writes it: `val_loss`, `eval_loss`, `train/acc_epoch`. */
  name: string;
  /** What is measured, without split prefixes or step/epoch suffixes: `loss`, `accuracy`. */
  metric: string;
  split: MetricSplit;
  /** Whether points are per epoch or per step (Lightning's `_epoch`/`_step`, HF's eval rows). */
  granularity: 'epoch' | 'step';
  points: MetricPoint[];
}

export interface RunHistory {
  /** Absolute path of the log file (or, for TensorBoard, of the run folder). */
  source: string;
  format: LogFormat;
  /** Human name of the run: its folder relative to the workspace, e.g. `lightning_logs/version_3`. */
  run: string;
  series: MetricSeries[];
  /** Hyperparameters the log records (Lightning hparams.yaml, HF trainer state's fields). */
  hyperparameters?: Record<string, string | number | boolean>;
  /** Problems that did not stop the read (a changed header mid-file, a corrupt record): shown, not fatal. */
  warnings: string[];
}
