import type { RunIdentity, RunLogResult } from './log-parser';
import { SeriesCollector } from './series-collector';

/** Keys of a log_history entry that place it, not measure anything. */
const POSITION_KEYS = new Set(['step', 'epoch']);
/** The closing summary entry `Trainer.train` appends (averages over the whole run, not a point in it). */
const SUMMARY_KEYS = ['train_runtime', 'total_flos'];
/** Top-level trainer-state fields that are not hyperparameters. */
const NOT_HYPERPARAMETERS = new Set(['log_history', 'stateful_callbacks', 'trial_params', 'is_local_process_zero', 'is_world_process_zero', 'is_hyper_param_search']);

/**
 * Hugging Face `trainer_state.json` (transformers/trainer_callback.py, `TrainerState`, saved with
 * each checkpoint): `log_history` holds one entry per `Trainer.log` call: training entries
 * (`loss`, `grad_norm`, `learning_rate`, `epoch`, `step`), evaluation entries (`eval_loss`,
 * `eval_<metric>`, `eval_runtime`, …) and a final summary (`train_loss`, `train_runtime`, …).
 * `step` is the global optimizer step; `epoch` is fractional.
 */
export function interpretTrainerState(json: unknown, identity: RunIdentity): RunLogResult {
  const where = identity.source;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, error: `${where}: not a Hugging Face trainer_state.json: not a JSON object` };
  const state = json as Record<string, unknown>;
  if (!Array.isArray(state.log_history)) return { ok: false, error: `${where}: not a Hugging Face trainer_state.json: no log_history list` };
  // Hugging Face's `loss` is the training loss; evaluation metrics carry `eval_`.
  const collector = new SeriesCollector(() => 'train', () => 'step', identity.maxPointsPerSeries);
  const warnings: string[] = [];
  let unplaced = 0;
  let nonNumeric = 0;
  for (const entry of state.log_history as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const row = entry as Record<string, unknown>;
    if (SUMMARY_KEYS.some((k) => k in row)) continue;
    const step = row.step;
    if (typeof step !== 'number' || !Number.isFinite(step)) {
      unplaced++;
      continue;
    }
    const epoch = typeof row.epoch === 'number' && Number.isFinite(row.epoch) ? row.epoch : undefined;
    for (const [key, value] of Object.entries(row)) {
      if (POSITION_KEYS.has(key)) continue;
      if (typeof value !== 'number') {
        nonNumeric++;
        continue;
      }
      collector.add(key, epoch === undefined ? { step, value } : { step, epoch, value });
    }
  }
  if (unplaced > 0) warnings.push(`log_history: ${unplaced} entr${unplaced === 1 ? 'y' : 'ies'} without a step left out`);
  if (nonNumeric > 0) warnings.push(`log_history: ${nonNumeric} non-numeric value(s) left out`);
  const { series, warnings: thinned } = collector.snapshot();
  const hyperparameters: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(state)) {
    if (NOT_HYPERPARAMETERS.has(key)) continue;
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) hyperparameters[key] = value;
  }
  return { ok: true, run: { source: where, format: 'hf-trainer-state', run: identity.run, series, hyperparameters, warnings: [...warnings, ...thinned] } };
}
