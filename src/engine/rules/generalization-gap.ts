import { threshold } from '../config';
import { accuracyScale, alignedTrainValues, describePoint, finitePrefix, formatValue, seriesPair, type SeriesPair } from '../logs/curve-analysis';
import type { MetricPoint } from '../logs/run-history';
import type { RunHit, RunRule } from './rule';

export const DEFAULT_ACCURACY_GAP = 0.1;
export const DEFAULT_LOSS_RATIO = 2;
/** The share of the run, by step, that is too early to judge: the gap is small or reversed while both curves still climb. */
export const SKIPPED_FRACTION = 0.3;
/** The end of the run is judged on the mean of this many evaluations, so one noisy evaluation cannot decide. */
const END_EVALUATIONS = 3;
/** Fewer evaluations than this after the skipped part: too short to judge. */
const MIN_JUDGED_EVALUATIONS = 2;

export const generalizationGap: RunRule = {
  code: 'generalization-gap',
  drawback: 'overfitting',
  defaultSeverity: 'warning',
  title: 'Training accuracy far above validation accuracy at the end of a run',
  thresholds: [
    { name: 'accuracy-gap', default: DEFAULT_ACCURACY_GAP, minimum: 0, description: 'training minus validation accuracy (as a fraction) at the end of the run that is reported' },
    { name: 'loss-ratio', default: DEFAULT_LOSS_RATIO, minimum: 1, description: 'validation over training loss at the end, used when the log has no accuracy' },
  ],
  explanation: `
The generalisation gap is the difference between how well a model does on the data it was trained on
and on data it has not seen. A model that is right on 99% of its training samples but 80% of the
validation samples has memorised much of its training set; its validation number, not the training
one, is what to expect in use.

DL Doctor reports a run when, at its end (the mean of the last ${END_EVALUATIONS} evaluations), training
accuracy exceeds validation accuracy by \`generalization-gap.accuracy-gap\` (default 0.10, i.e. 10
percentage points). Only evaluations after the first ${SKIPPED_FRACTION * 100}% of the run (by step) are
looked at: early on both curves climb and the gap means nothing yet. Logs without an accuracy use the
ratio of validation to training loss instead (\`generalization-gap.loss-ratio\`, default 2).

Training accuracy in Keras and Lightning logs is the mean over the epoch, measured with dropout and
augmentation active, so it understates the final model's training accuracy: the real gap is, if
anything, larger. The thresholds are DL Doctor's defaults (the gap is the usual diagnostic in Goodfellow,
Bengio and Courville, *Deep Learning*, 2016, section 5.2); UMLAUT (Schoop et al., CHI 2021) likewise
compares training and validation accuracy after training to flag overfitting.

## How to fix
More (or augmented) training data, regularisation (dropout, weight decay, label smoothing), a smaller
or pretrained model, and early stopping on the validation metric.
`,
  checkRun(run, config): RunHit[] {
    const accuracy = seriesPair(run, 'accuracy');
    if (accuracy) return accuracyGap(accuracy, threshold(config, 'generalization-gap.accuracy-gap', DEFAULT_ACCURACY_GAP));
    const loss = seriesPair(run, 'loss');
    return loss ? lossRatio(loss, threshold(config, 'generalization-gap.loss-ratio', DEFAULT_LOSS_RATIO)) : [];
  },
};

interface JudgedEnd {
  /** The validation points after the skipped part, and their aligned training values. */
  points: MetricPoint[];
  train: number[];
  validation: number[];
}

/** The evaluations that count: after the first 30% of the run, with a finite training value beside them. */
function judgedEnd(pair: SeriesPair): JudgedEnd | undefined {
  const validation = finitePrefix(pair.validation.points);
  const train = finitePrefix(pair.train.points);
  if (validation.length === 0 || train.length === 0) return undefined;
  const aligned = alignedTrainValues(train, validation);
  const first = Math.min(validation[0].step, train[0].step);
  const lastStep = Math.max(validation[validation.length - 1].step, train[train.length - 1].step);
  const from = first + SKIPPED_FRACTION * (lastStep - first);
  const judged = validation.map((p, i) => ({ p, t: aligned[i] })).filter(({ p, t }) => p.step >= from && t !== undefined && Number.isFinite(t));
  if (judged.length < MIN_JUDGED_EVALUATIONS) return undefined;
  const tail = judged.slice(-END_EVALUATIONS);
  return { points: tail.map(({ p }) => p), train: tail.map(({ t }) => t!), validation: tail.map(({ p }) => p.value) };
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

function accuracyGap(pair: SeriesPair, minGap: number): RunHit[] {
  const end = judgedEnd(pair);
  if (!end) return [];
  const scale = accuracyScale(pair.train, pair.validation);
  const train = mean(end.train) * scale;
  const validation = mean(end.validation) * scale;
  const gap = train - validation;
  if (!(gap >= minGap)) return [];
  const last = end.points[end.points.length - 1];
  const where = `${describePoint(end.points[0], pair.validation.granularity)}–${describePoint(last, pair.validation.granularity)}`;
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  return [
    {
      at: { series: pair.validation.name, point: last },
      message:
        `${pair.train.name} ${pct(train)} vs ${pair.validation.name} ${pct(validation)} at the end of the run (mean of the last ${end.points.length} evaluations): ` +
        `a ${(gap * 100).toFixed(1)}-point generalisation gap; the model memorises its training set. Add data or augmentation, regularise (dropout, weight decay) or stop earlier.`,
      evidence: [
        `evaluations judged: ${where} (the first ${SKIPPED_FRACTION * 100}% of the run is skipped)`,
        `\`${pair.train.name}\`: ${end.train.map(formatValue).join(', ')} → mean ${pct(train)}`,
        `\`${pair.validation.name}\`: ${end.validation.map(formatValue).join(', ')} → mean ${pct(validation)}`,
        `gap ${pct(gap)} ≥ \`generalization-gap.accuracy-gap\` = ${minGap}${scale !== 1 ? ' (the log writes percentages)' : ''}`,
      ],
      data: { trainAccuracy: train, validationAccuracy: validation, gap },
    },
  ];
}

function lossRatio(pair: SeriesPair, minRatio: number): RunHit[] {
  const end = judgedEnd(pair);
  if (!end) return [];
  const train = mean(end.train);
  const validation = mean(end.validation);
  // A ratio of non-positive losses means nothing.
  if (!(train > 0) || !(validation > 0)) return [];
  const ratio = validation / train;
  if (!(ratio >= minRatio)) return [];
  const last = end.points[end.points.length - 1];
  return [
    {
      at: { series: pair.validation.name, point: last },
      message:
        `${pair.validation.name} ${formatValue(validation)} is ${ratio > 100 ? 'over 100' : ratio.toFixed(1)}× ${pair.train.name} ${formatValue(train)} at the end of the run (mean of the last ${end.points.length} evaluations): ` +
        `the model fits its training set far better than unseen data. Add data or augmentation, regularise or stop earlier.`,
      evidence: [
        `evaluations judged: up to ${describePoint(last, pair.validation.granularity)} (the first ${SKIPPED_FRACTION * 100}% of the run is skipped)`,
        `\`${pair.train.name}\`: ${end.train.map(formatValue).join(', ')}`,
        `\`${pair.validation.name}\`: ${end.validation.map(formatValue).join(', ')}`,
        `ratio ${ratio.toFixed(2)} ≥ \`generalization-gap.loss-ratio\` = ${minRatio}`,
      ],
      data: { trainLoss: train, validationLoss: validation, ratio },
    },
  ];
}
