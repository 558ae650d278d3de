import { threshold } from '../config';
import { describePoint, epochNumbering, findDivergence, formatDuration, formatNumber, formatValue, MEDIAN_WINDOW, seriesPair } from '../logs/curve-analysis';
import type { RunHit, RunRule } from './rule';

export const DEFAULT_MARGIN = 0.1;
export const DEFAULT_PATIENCE = 3;

export const valDivergence: RunRule = {
  code: 'val-divergence',
  drawback: 'overfitting',
  defaultSeverity: 'warning',
  title: 'Validation loss rose above its best while training loss kept falling',
  thresholds: [
    { name: 'margin', default: DEFAULT_MARGIN, minimum: 0, description: 'relative rise of the smoothed validation loss over its best that counts (0.1 = 10%)' },
    { name: 'patience', default: DEFAULT_PATIENCE, minimum: 1, description: 'evaluations, up to the end of the log, the validation loss must stay above that margin' },
  ],
  explanation: `
When the training loss keeps falling but the validation loss climbs back up, the network has started
to fit the training set's noise instead of what generalises: it is overfitting, and every epoch after
the best one costs compute and makes the final weights worse than a checkpoint you already had.

DL Doctor reads the run's log (Keras \`CSVLogger\`, Lightning \`metrics.csv\`, Hugging Face
\`trainer_state.json\`, TensorBoard event files, a saved Keras \`History\`), smooths the validation loss
with a running median over ${MEDIAN_WINDOW} evaluations (the value and the two before it, so one noisy
evaluation changes nothing), and reports the run when

- the smoothed validation loss stayed more than \`val-divergence.margin\` (default 10%) above its best
  for the last \`val-divergence.patience\` evaluations (default ${DEFAULT_PATIENCE}) or more, and
- the smoothed training loss at the end is lower than it was at the best point.

\`patience\` means what it means for Keras \`EarlyStopping(patience=…)\`: evaluations without
improvement before training should have stopped (Keras documentation, *EarlyStopping*,
https://keras.io/api/callbacks/early_stopping/). Where Keras counts any value not better than the best
by \`min_delta\` (absolute, default 0) as "no improvement", this rule asks for a clear relative rise so
that a plateau with noise is not reported. Checking the recorded training history for such symptoms
after (or while) training follows AUTOTRAINER (Zhang et al., "AUTOTRAINER: An Automatic DNN Training
Problem Detection and Repair System", ICSE 2021), which watches loss and accuracy during training, and
UMLAUT (Schoop, Huang and Hartmann, "UMLAUT: Debugging Deep Learning Programs using Program Structure
and Model Behavior", CHI 2021), which checks a model's training behaviour against expert heuristics,
overfitting among them. The 10% margin and patience of 3 are DL Doctor's defaults, not values from
those papers.

Runs where both losses rise (instability: learning rate, bad data) and runs with a non-positive loss
(a relative margin means nothing there) are not reported.

## How to fix
Keep the best checkpoint instead of the last one (\`ModelCheckpoint(save_best_only=True)\`,
Lightning's \`ModelCheckpoint(monitor="val_loss")\`, Hugging Face \`load_best_model_at_end=True\`), stop
early (\`EarlyStopping(monitor="val_loss", patience=…, restore_best_weights=True)\`), and regularise:
more data or augmentation, dropout, weight decay, a smaller model.
`,
  checkRun(run, config): RunHit[] {
    const pair = seriesPair(run, 'loss');
    if (!pair) return [];
    const margin = threshold(config, 'val-divergence.margin', DEFAULT_MARGIN);
    const patience = threshold(config, 'val-divergence.patience', DEFAULT_PATIENCE);
    const found = findDivergence(pair, { margin, patience });
    if (!found) return [];
    const { points } = found;
    const best = points[found.bestIndex];
    const last = points[points.length - 1];
    const start = points[found.startIndex];
    const granularity = pair.validation.granularity;
    const pastBest = points.length - 1 - found.bestIndex;
    const seconds = best.wallTime !== undefined && last.wallTime !== undefined ? last.wallTime - best.wallTime : undefined;
    const span = last.step - points[0].step;
    const share = span > 0 ? Math.round((100 * (last.step - best.step)) / span) : undefined;
    const ran =
      seconds !== undefined && seconds > 0
        ? `≈${formatDuration(seconds)} of training (${pastBest} evaluation${pastBest === 1 ? '' : 's'}) ran past it`
        : `${pastBest} evaluation${pastBest === 1 ? '' : 's'}${share !== undefined ? ` (${share}% of the run)` : ''} ran past it`;
    const riseText = `+${Math.round(found.rise * 100)}%`;
    return [
      {
        at: { series: pair.validation.name, point: best },
        message:
          `${pair.validation.name} was best at ${describePoint(best, granularity)} (${formatValue(best.value)}) and ended at ${formatValue(last.value)} ` +
          `(smoothed ${riseText}) while ${pair.train.name} fell from ${formatValue(found.trainAtBest)} to ${formatValue(found.trainAtEnd)}: the model is overfitting; ${ran}. ` +
          `Keep the best checkpoint and stop early (EarlyStopping(patience=${formatNumber(Math.floor(patience))}, restore_best_weights=True)), or regularise.`,
        evidence: [
          `best \`${pair.validation.name}\` = ${formatValue(best.value)} at ${describePoint(best, granularity)}; running median of ${MEDIAN_WINDOW} there = ${formatValue(found.bestSmoothed)}`,
          `above ${formatValue(found.bestSmoothed * (1 + margin))} (best × (1 + \`val-divergence.margin\` = ${margin})) from ${describePoint(start, granularity)} on: ${found.evaluationsAbove} evaluations ≥ \`val-divergence.patience\` = ${formatNumber(Math.floor(patience))}`,
          `last \`${pair.validation.name}\` = ${formatValue(last.value)} at ${describePoint(last, granularity)}; smoothed ${formatValue(found.lastSmoothed)} (${riseText})`,
          `\`${pair.train.name}\` (smoothed, per evaluation): ${formatValue(found.trainAtBest)} at the best point → ${formatValue(found.trainAtEnd)} at the end`,
          ...(seconds !== undefined ? [`wall time from the best evaluation to the last: ${formatDuration(seconds)}`] : []),
          ...epochNumbering(run),
        ],
        data: {
          run: run.run,
          bestStep: best.step,
          bestEpoch: best.epoch,
          bestValue: best.value,
          divergenceStep: start.step,
          lastValue: last.value,
          rise: found.rise,
          margin,
          patience,
          evaluationsPastBest: pastBest,
          ...(seconds !== undefined ? { secondsPastBest: seconds } : {}),
        },
      },
    ];
  },
};
