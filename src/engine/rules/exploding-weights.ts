import { threshold } from '../config';
import { BUFFER_SUFFIXES } from '../models/pytorch/storage-types';
import { formatBytes } from '../source-files';
import { WHOLE_FILE, type ModelRule, type RuleHit } from './rule';

/** Trained weights rarely exceed a few units in magnitude; 1,000 leaves room for embeddings and outliers. */
export const DEFAULT_MAX_ABS = 1000;
export const MAX_ABS_SETTING = 'exploding-weights.max-abs';

export const explodingWeights: ModelRule = {
  code: 'exploding-weights',
  drawback: 'hyperparameters',
  defaultSeverity: 'warning',
  usesWeights: true,
  title: 'Model weights have exploded to very large magnitudes',
  thresholds: [{ name: 'max-abs', default: DEFAULT_MAX_ABS, minimum: 0, description: 'weights larger than this in absolute value are flagged' }],
  explanation: `
Weights of a healthy trained network are small — initialisers draw them with a standard deviation
around 1/√fan-in, and training with weight decay keeps them in the same range. Weights thousands of
units large are the trace of exploding gradients: a learning rate too high, no gradient clipping, or a
loss that grew without bound. Such a model is numerically fragile (fp16 overflows at 65,504) and
usually generalises badly. BatchNorm running statistics are not weights and are not checked.

The bound is \`exploding-weights.max-abs\` (default 1,000 in absolute value).

## How to fix
Lower the learning rate, add gradient clipping and weight decay, check the loss for spikes, and
resume from a checkpoint saved before the weights grew.
`,
  checkModel(model, config): RuleHit[] {
    const stats = 'summary' in model ? model.summary.stats : undefined;
    if (!stats) return [];
    const bound = threshold(config, MAX_ABS_SETTING, DEFAULT_MAX_ABS);
    const large = Object.entries(stats.tensors)
      .filter(([name]) => !BUFFER_SUFFIXES.some((s) => name.endsWith(s)))
      .map(([name, s]) => [name, Math.max(Math.abs(s.min), Math.abs(s.max))] as const)
      .filter(([, magnitude]) => magnitude > bound)
      .sort(([, a], [, b]) => b - a);
    if (large.length === 0) return [];
    const names = large.slice(0, 4).map(([name, m]) => `${name} (max |w| ${m.toPrecision(3)})`).join(', ');
    return [
      {
        range: WHOLE_FILE,
        message:
          `${large.length} tensor${large.length === 1 ? ' has' : 's have'} weights beyond ±${bound.toLocaleString('en-US')}: ${names}${large.length > 4 ? ', ...' : ''}${stats.partial ? ' (only part of the file was read)' : ''}. ` +
          `Gradients probably exploded; lower the learning rate, clip gradients and add weight decay.`,
        evidence: [
          ...large.slice(0, 8).map(([name, m]) => `\`${name}\`: max |w| = ${m.toPrecision(3)}`),
          ...(large.length > 8 ? [`… and ${large.length - 8} more tensors`] : []),
          `bound \`${MAX_ABS_SETTING}\` = ${bound.toLocaleString('en-US')}; ${stats.partial ? `only the first ${formatBytes(stats.bytesRead)} of weights were read` : 'every weight was read'}`,
        ],
        data: { tensors: large.map(([name]) => name), bound },
      },
    ];
  },
};
