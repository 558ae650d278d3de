import { threshold } from '../config';
import { scriptFacts } from '../python/models/script-facts';
import type { PythonRule, RuleHit } from './rule';

export const DEFAULT_MAX_RATIO = 10;
/** More classes than this are listed by their extremes only. */
const MAX_LISTED = 6;

export const classImbalance: PythonRule = {
  code: 'class-imbalance',
  drawback: 'data',
  defaultSeverity: 'info',
  title: 'Classes in the training data are strongly imbalanced',
  thresholds: [{ name: 'max-ratio', default: DEFAULT_MAX_RATIO, minimum: 1, description: 'largest / smallest class size at or above which the data set is reported' }],
  explanation: `
When one class has many times the examples of another, a classifier trained with a plain loss learns
to favour the large class: accuracy looks good while the small class is mostly missed. Buda, Maki
and Mazurowski ("A systematic study of the class imbalance problem in convolutional neural networks",
Neural Networks, 2018) measured this on MNIST, CIFAR-10 and ImageNet subsets: the harm grows with the
ratio between the largest and smallest class, and oversampling the small classes was the most
reliable remedy. He and Garcia ("Learning from Imbalanced Data", IEEE TKDE, 2009) survey the
methods and why accuracy misleads on such data.

The rule reads the per-class sample counts of a data set the script trains on (image subfolders, a
label column, a known data set) and reports when the largest class has at least
\`class-imbalance.max-ratio\` times the samples of the smallest (default 10, an order of magnitude).

## How to fix
Weight the loss by inverse class frequency (\`nn.CrossEntropyLoss(weight=...)\`, Keras
\`class_weight=\`), oversample small classes (\`WeightedRandomSampler\`), collect more data for them,
and report per-class metrics (recall, F1, a confusion matrix) rather than accuracy alone.
`,
  checkPython(file, config): RuleHit[] {
    const maxRatio = threshold(config, 'class-imbalance.max-ratio', DEFAULT_MAX_RATIO);
    const hits: RuleHit[] = [];
    for (const data of scriptFacts(file).datasets) {
      const counts = Object.entries(data.classCounts ?? {}).sort(([, a], [, b]) => b - a);
      if (counts.length < 2) continue;
      const [largest, largestCount] = counts[0];
      const [smallest, smallestCount] = counts[counts.length - 1];
      if (largestCount <= 0) continue;
      const ratio = smallestCount > 0 ? largestCount / smallestCount : Infinity;
      if (ratio < maxRatio) continue;
      const ratioText = Number.isFinite(ratio) ? `${ratio.toFixed(ratio >= 100 ? 0 : 1)}:1` : 'no samples at all in the smallest';
      const listed = counts.length <= MAX_LISTED ? counts : [...counts.slice(0, 3), ...counts.slice(-3)];
      hits.push({
        range: data.range,
        message:
          `Class '${largest}' has ${largestCount.toLocaleString('en-US')} samples and '${smallest}' ${smallestCount.toLocaleString('en-US')} in ${data.name} (${ratioText}, threshold ${maxRatio}:1): ` +
          `the model will favour the large classes. Weight the loss or oversample the small classes, and report per-class metrics.`,
        evidence: [
          `${counts.length} classes in ${data.name}${counts.length > MAX_LISTED ? ' (largest and smallest three)' : ''}: ${listed.map(([label, n]) => `'${label}' ${n.toLocaleString('en-US')}`).join(', ')}`,
          ...data.notes.slice(0, 2),
          `largest / smallest = ${Number.isFinite(ratio) ? ratio.toFixed(2) : '∞'}; \`class-imbalance.max-ratio\` = ${maxRatio}`,
        ],
        data: { classCounts: data.classCounts, ratio: Number.isFinite(ratio) ? ratio : null },
      });
    }
    return hits;
  },
};
