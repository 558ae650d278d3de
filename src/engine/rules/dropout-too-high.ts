import { threshold } from '../config';
import { resolveValue } from '../python/training-setup/config-values';
import { dropoutSites } from '../python/training-setup/dropout-sites';
import { formatRate } from '../python/training-setup/format';
import { codeSpan } from './evidence';
import type { PythonRule, RuleHit } from './rule';

const MAX_RATE = 'dropout-too-high.max-rate';
const DEFAULT_MAX_RATE = 0.5;

export const dropoutTooHigh: PythonRule = {
  code: 'dropout-too-high',
  drawback: 'overfitting',
  defaultSeverity: 'warning',
  title: 'Dropout drops more than half of the units',
  thresholds: [{ name: 'max-rate', default: DEFAULT_MAX_RATE, minimum: 0, description: 'drop probabilities above this are reported' }],
  explanation: `
Dropout fights overfitting by zeroing a random fraction of activations while training. The argument
of \`nn.Dropout(p)\`, \`F.dropout(x, p=…)\`, Keras \`Dropout(rate)\` and the \`dropout=\` of recurrent and
attention layers is the probability of **dropping** a unit. Above one half, most of the signal is
discarded at every step: the network underfits, trains slowly and its training loss stays high. Srivastava
et al. ("Dropout: A Simple Way to Prevent Neural Networks from Overfitting", JMLR 2014) found 0.5 close
to optimal for hidden units and used 0.2 for inputs; UMLAUT (Schoop, Huang & Hartmann, "UMLAUT:
Debugging Deep Learning Programs using Program Structure and Model Behavior", CHI 2021) flags rates
above 0.5 as a likely mistake — often a keep probability written where a drop probability belongs
(TensorFlow 1's \`keep_prob\`, Caffe's habits). The threshold is \`dropout-too-high.max-rate\` (default 0.5).
A rate of 1 or more zeroes every unit (PyTorch rejects p > 1).

Reported only for values that resolve (literals, constants, argparse defaults, config dicts). TF 1's
\`tf.nn.dropout(x, keep_prob)\` is never read as a drop rate.

## How to fix
If you meant to *keep* that fraction, use \`1 - rate\`. Otherwise start at 0.5 or below (0.1–0.3 for
convolutional and transformer layers, 0.2 for inputs) and raise it only while the validation loss
keeps improving. Some published models use more on purpose (GAT uses 0.6 on small graphs); silence
those with \`# dl-doctor: ignore[dropout-too-high]\`.
`,
  checkPython(file, config): RuleHit[] {
    const max = threshold(config, MAX_RATE, DEFAULT_MAX_RATE);
    const hits: RuleHit[] = [];
    for (const site of dropoutSites(file)) {
      const rate = resolveValue(file, site.value);
      if (typeof rate?.value !== 'number' || rate.value <= max) continue;
      const value = rate.value;
      const from = rate.via ? ` (from ${rate.via})` : '';
      const all = value >= 1;
      hits.push({
        range: file.range(site.value),
        message: all
          ? `${site.callee}: drop probability ${site.parameter}=${formatRate(value)}${from} zeroes every unit, so nothing reaches the next layer. Use 1 - ${formatRate(value)} if you meant a keep probability, or a rate of 0.5 or below.`
          : `${site.callee}: drop probability ${site.parameter}=${formatRate(value)}${from} discards ${Math.round(value * 100)}% of the units at every step (above ${formatRate(max)}): expect underfitting. ` +
            `If ${formatRate(value)} is the fraction to keep, use ${site.parameter}=${formatRate(Number((1 - value).toPrecision(4)))}; otherwise try 0.5 or less.`,
        evidence: [
          `\`${site.parameter}\` = ${formatRate(value)}${rate.via ? ` from ${rate.via}` : ` (line ${site.value.startPosition.row + 1})`} in ${codeSpan(site.callee)}, the probability of dropping a unit`,
          `reported above \`${MAX_RATE}\` = ${formatRate(max)} (UMLAUT, CHI 2021; Srivastava et al. 2014 use 0.5 for hidden units)`,
        ],
        data: { rate: value, via: rate.via, parameter: site.parameter },
      });
    }
    return hits;
  },
};
