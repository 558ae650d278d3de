import { threshold } from '../config';
import { accuracyScale, alignedTrainValues, finitePrefix, formatValue, seriesPair } from '../logs/curve-analysis';
import type { RunHit, RunRule } from './rule';

export const DEFAULT_MARGIN = 0.05;
export const DEFAULT_SHARE = 0.5;
/** Fewer paired evaluations than this cannot show a pattern "for most of the run". */
const MIN_EVALUATIONS = 5;

export const suspiciousValidation: RunRule = {
  code: 'suspicious-validation',
  drawback: 'overfitting',
  defaultSeverity: 'info',
  title: 'Validation accuracy above training accuracy for most of a run',
  thresholds: [
    { name: 'margin', default: DEFAULT_MARGIN, minimum: 0, description: 'validation minus training accuracy (as a fraction) that counts as above' },
    { name: 'share', default: DEFAULT_SHARE, minimum: 0, description: 'share of the evaluations that must be above by that margin' },
  ],
  explanation: `
A model normally does at least as well on the data it learns from as on data it has not seen. When
validation accuracy stays clearly above training accuracy for most of a run, the validation numbers
may not mean what they seem: validation samples that also appear in the training set (duplicates,
augmented copies, the same patient or user on both sides of a random split), a validation set much
easier than the training set, or labels leaking into the inputs.

There is a benign explanation, and it is common: dropout, augmentation and other regularisation are
active while the training accuracy is measured and off during validation, and Keras and Lightning
log the training accuracy as the mean over an epoch in which the model was still improving. So this is
a hint to look at the split, not an error.

DL Doctor reports it when validation accuracy exceeds training accuracy by more than
\`suspicious-validation.margin\` (default 0.05) in more than \`suspicious-validation.share\` (default 50%)
of at least ${MIN_EVALUATIONS} evaluations. UMLAUT (Schoop et al., CHI 2021) checks training against
validation behaviour in the same spirit; the thresholds are DL Doctor's defaults.

## How to fix
Check that no sample (or near-duplicate, or the same subject) is in both splits, split by group where
samples are related (\`GroupShuffleSplit\`), and compare with training accuracy measured in evaluation
mode on a fixed subset. If dropout or augmentation is strong and the split is clean, ignore the note.
`,
  checkRun(run, config): RunHit[] {
    const pair = seriesPair(run, 'accuracy');
    if (!pair) return [];
    const margin = threshold(config, 'suspicious-validation.margin', DEFAULT_MARGIN);
    const share = threshold(config, 'suspicious-validation.share', DEFAULT_SHARE);
    const validation = finitePrefix(pair.validation.points);
    const aligned = alignedTrainValues(finitePrefix(pair.train.points), validation);
    const scale = accuracyScale(pair.train, pair.validation);
    const paired = validation.flatMap((p, i) => (aligned[i] === undefined ? [] : [{ point: p, train: aligned[i] * scale, validation: p.value * scale }]));
    if (paired.length < MIN_EVALUATIONS) return [];
    const above = paired.filter((e) => e.validation - e.train > margin);
    if (!(above.length > share * paired.length)) return [];
    const meanDiff = above.reduce((sum, e) => sum + e.validation - e.train, 0) / above.length;
    const last = paired[paired.length - 1];
    const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
    return [
      {
        at: { series: pair.validation.name, point: above[0].point },
        message:
          `${pair.validation.name} was above ${pair.train.name} by more than ${Math.round(margin * 100)} points in ${above.length} of ${paired.length} evaluations (by ${(meanDiff * 100).toFixed(1)} points on average; ` +
          `at the end ${pct(last.validation)} vs ${pct(last.train)}). Dropout or augmentation can explain it; otherwise check the split for leakage (duplicates or related samples in both sets).`,
        evidence: [
          `${above.length} of ${paired.length} evaluations with \`${pair.validation.name}\` − \`${pair.train.name}\` > \`suspicious-validation.margin\` = ${margin}; needed more than \`suspicious-validation.share\` = ${share}`,
          `last evaluation: \`${pair.validation.name}\` = ${formatValue(last.validation / scale)}, \`${pair.train.name}\` = ${formatValue(last.train / scale)}`,
        ],
        data: { evaluations: paired.length, above: above.length, meanDifference: meanDiff },
      },
    ];
  },
};
