import type { Node } from 'web-tree-sitter';
import { threshold } from '../config';
import type { PythonFile } from '../python/python-file';
import { bindingOf, resolveValue } from '../python/training-setup/config-values';
import { formatRate } from '../python/training-setup/format';
import { fullyFineTunedTransformer, learningRateReplaced, optimizesWholeModel, type PretrainedModel } from '../python/training-setup/lr-context';
import { optimizerCall, optimizerCalls, type OptimizerCall, type OptimizerFamily } from '../python/training-setup/optimizers';
import type { Resolved } from '../python/values';
import { quoteNode } from './evidence';
import type { PythonRule, RuleHit } from './rule';

const MAX_FINETUNE = 'lr-out-of-range.max-finetune-lr';
const DEFAULT_MAX_FINETUNE = 1e-4;

/**
 * The learning rates that occur in published, working training setups, per optimizer family — wide on
 * purpose: a value outside is almost certainly a slip (a misplaced exponent, Adam given SGD's rate).
 * Sources in the rule's explanation.
 */
const RANGES: Record<OptimizerFamily, { low: number; high: number; label: string; typical: number }> = {
  adam: { low: 1e-7, high: 0.05, label: 'Adam-type optimizers', typical: 1e-3 },
  'sgd-momentum': { low: 1e-6, high: 3.2, label: 'SGD with momentum', typical: 0.1 },
  sgd: { low: 1e-6, high: 30, label: 'SGD without momentum', typical: 0.1 },
  rmsprop: { low: 1e-7, high: 0.05, label: 'RMSprop', typical: 1e-3 },
  adagrad: { low: 1e-6, high: 1, label: 'Adagrad', typical: 0.01 },
  adadelta: { low: 1e-5, high: 10, label: 'Adadelta', typical: 1 },
  lbfgs: { low: 1e-4, high: 10, label: 'L-BFGS', typical: 1 },
};

const TRAINING_ARGUMENTS = /^transformers\.(?:training_args(?:_seq2seq)?\.)?(Seq2Seq)?TrainingArguments$/;
const ONE_CYCLE = /^torch\.optim\.lr_scheduler\.OneCycleLR$/;

export const lrOutOfRange: PythonRule = {
  code: 'lr-out-of-range',
  drawback: 'hyperparameters',
  defaultSeverity: 'warning',
  title: 'Learning rate outside the range used in practice for its optimizer',
  thresholds: [
    {
      name: 'max-finetune-lr',
      default: DEFAULT_MAX_FINETUNE,
      minimum: 0,
      description: 'Adam-type learning rates above this, when fine-tuning a pretrained transformer in full, are reported',
    },
  ],
  explanation: `
The learning rate is the hyperparameter that matters most (Bengio, "Practical Recommendations for
Gradient-Based Training of Deep Architectures", 2012), and what a sensible value is depends on the
optimizer: Adam-type optimizers normalise each step, so their step size is roughly the learning rate
itself (Kingma & Ba 2015, §2.1), while plain SGD's step scales with the gradient. A rate that fits SGD
(0.1) makes Adam diverge; one that fits Adam (1e-3) makes SGD crawl.

The rule resolves the rate where the optimizer is built — literals, constants, argparse defaults
(\`lr=args.lr\`), config dicts (\`config["lr"]\`), namespaces and arithmetic — and reports it only
when it lies outside the range below, which is deliberately wide (every bound is a value published,
working setups use):

| optimizer | range | default |
|---|---|---|
| Adam, AdamW, NAdam, RAdam, Adamax | 1e-7 … 0.05 | 1e-3 (PyTorch, Keras; NAdam and Adamax 2e-3 in PyTorch) |
| SGD with momentum or Nesterov | 1e-6 … 3.2 | PyTorch 1e-3, Keras 0.01 |
| SGD without momentum | 1e-6 … 30 | PyTorch 1e-3, Keras 0.01 |
| RMSprop | 1e-7 … 0.05 | PyTorch 0.01, Keras 1e-3 |
| Adagrad | 1e-6 … 1 | PyTorch 0.01, Keras 1e-3 |
| Adadelta | 1e-5 … 10 | PyTorch 1.0 (the paper's choice), Keras 1e-3 |
| L-BFGS | 1e-4 … 10 | 1 |

Bounds: Bengio (2012, §3.1.1) puts useful rates between 1e-6 and 1 for standardised inputs; SGD with
momentum 0.9 reaches 3.2 with the linear scaling rule at batch 8k (Goyal et al., "Accurate, Large
Minibatch SGD", 2017) and plain SGD 30 for LSTM language models with gradient clipping (Merity et al.,
"Regularizing and Optimizing LSTM Language Models", 2018); Adam-type optimizers default to 1e-3 (Kingma
& Ba 2015) and are used up to ~2e-2 (e.g. TabNet) — momentum multiplies SGD's effective step by about
1/(1-momentum), hence its smaller upper bound. Rates go below 1e-6 only in preference tuning of large
language models (~5e-7). A rate of 0 is never reported (it is a placeholder a scheduler overwrites).

**Fine-tuning a pretrained transformer** (\`from_pretrained\` of a Hugging Face model, trained in full
with an Adam-type optimizer or the \`Trainer\`'s \`TrainingArguments(learning_rate=…)\`) is reported
above \`lr-out-of-range.max-finetune-lr\` (default 1e-4): BERT's authors fine-tune with 2e-5 … 5e-5
(Devlin et al. 2019, appendix A.3) and the Trainer defaults to 5e-5; much larger rates overwrite what
pre-training learned. Not reported: files that freeze weights (\`requires_grad = False\`,
\`trainable = False\`) or train adapters (\`peft\`, LoRA usually runs at 1e-4 … 3e-4), and T5/BART-style
models (1e-4 … 3e-4 with AdamW per the Hugging Face T5 docs).

Skipped on purpose: optimizers given a list of tensors or parameter groups (input optimisation, per-group
rates), files whose scheduler *replaces* the base rate (LambdaLR, MultiplicativeLR, CyclicLR, Keras
LearningRateScheduler, \`group["lr"] = …\`) — but OneCycleLR's \`max_lr\` is checked against the optimizer
it drives — and string optimizers (\`optimizer="adam"\`), which use the default.

## How to fix
Check the exponent first (\`1e-3\` vs \`1e3\`), and that the rate was not tuned for another optimizer.
Then find a good value with a learning-rate range test: raise the rate exponentially over a few hundred
batches and pick one about a tenth of where the loss starts to climb (Smith, "Cyclical Learning Rates
for Training Neural Networks", 2017; \`torch-lr-finder\`, Lightning's \`Tuner.lr_find\`). Failing that,
start from the optimizer's default. Fine-tuning: use 2e-5 … 5e-5 with warm-up.
`,
  checkPython(file, config): RuleHit[] {
    const hits: RuleHit[] = [];
    const maxFinetune = threshold(config, MAX_FINETUNE, DEFAULT_MAX_FINETUNE);
    const replaced = learningRateReplaced(file);
    const pretrained = fullyFineTunedTransformer(file);
    if (!replaced) {
      const optimizers = optimizerCalls(file);
      const shared = sharedSources(file, optimizers);
      for (const optimizer of optimizers) {
        if (optimizer.lr && shared.has(optimizer.lr.text)) continue;
        const hit = checkOptimizer(file, optimizer, pretrained, maxFinetune);
        if (hit) hits.push(hit);
      }
    }
    for (const call of file.calls) {
      const name = file.calleeName(call) ?? '';
      if (TRAINING_ARGUMENTS.test(name)) {
        const hit = checkTrainingArguments(file, call, pretrained, maxFinetune);
        if (hit) hits.push(hit);
      } else if (ONE_CYCLE.test(name)) {
        const hit = checkOneCycle(file, call);
        if (hit) hits.push(hit);
      }
    }
    return hits;
  },
};

/**
 * Rates written the same way (\`lr=args.lr\`) for optimizers of different families — the script picks one
 * by a flag (\`if args.optimizer == "adam"\`) and the one default suits only the branch taken by default.
 */
function sharedSources(file: PythonFile, optimizers: OptimizerCall[]): Set<string> {
  const families = new Map<string, Set<OptimizerFamily>>();
  for (const { lr, family } of optimizers) {
    if (!lr || lr.type === 'integer' || lr.type === 'float') continue;
    const set = families.get(lr.text) ?? new Set();
    set.add(family === 'sgd-momentum' ? 'sgd' : family);
    families.set(lr.text, set);
  }
  return new Set([...families].filter(([, set]) => set.size > 1).map(([text]) => text));
}

function checkOptimizer(file: PythonFile, optimizer: OptimizerCall, pretrained: PretrainedModel | undefined, maxFinetune: number): RuleHit | undefined {
  if (file.hasSplat(optimizer.call)) return undefined;
  // Tensors or parameter groups (`[{"params": …, "lr": …}]`) set their own rates or optimise inputs, not a model.
  if (optimizer.framework === 'PyTorch' || optimizer.framework === 'transformers') {
    if (!optimizer.params || optimizesTensors(file, optimizer.params)) return undefined;
  }
  const keyword = optimizer.framework === 'PyTorch' || optimizer.framework === 'transformers' ? 'lr' : 'learning_rate';
  let rate: Resolved | undefined;
  if (optimizer.lr) {
    rate = resolveValue(file, optimizer.lr);
  } else if (optimizer.defaultLr !== undefined && optimizer.framework !== 'Keras') {
    // A default only matters when fine-tuning: every default lies inside its optimizer's range.
    rate = { value: optimizer.defaultLr, via: `the ${frameworkLabel(optimizer)} default` };
  }
  if (typeof rate?.value !== 'number' || rate.value <= 0) return undefined;
  const target = optimizer.lr ?? optimizer.call;
  const given = describeRate(keyword, rate, optimizer.lr);
  if (
    pretrained &&
    optimizer.family === 'adam' &&
    rate.value > maxFinetune &&
    (optimizer.framework === 'Keras' ? isTensorFlowModel(file, pretrained) : optimizesWholeModel(file, optimizer.params, pretrained))
  ) {
    return fineTuneHit(file, target, rate, given, pretrained, maxFinetune, `${optimizer.name}`);
  }
  if (!optimizer.lr) return undefined;
  return rangeHit(file, target, rate, given, optimizer.family, optimizerLabel(optimizer), defaultText(optimizer), momentumEvidence(file, optimizer));
}

/**
 * `[image]`, `(z,)`, `params = [w, b]`: tensors rather than a model's parameters; or parameter groups
 * with rates of their own (`[{"params": …, "lr": 0.1}]`). Groups without an "lr" (the usual
 * weight-decay split) use the optimizer's rate and are judged.
 */
function optimizesTensors(file: PythonFile, params: Node): boolean {
  const value = params.type === 'identifier' ? (bindingOf(file, params) ?? params) : params;
  if (value.type !== 'list' && value.type !== 'tuple') return false;
  const items = value.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  const groupsWithoutRate = items.length > 0 && items.every((item) => item.type === 'dictionary' && !item.namedChildren.some((pair) => pair?.type === 'pair' && file.evaluate(pair.childForFieldName('key'))?.value === 'lr'));
  return !groupsWithoutRate;
}

function checkTrainingArguments(file: PythonFile, call: Node, pretrained: PretrainedModel | undefined, maxFinetune: number): RuleHit | undefined {
  if (file.hasSplat(call)) return undefined;
  const node = file.keywordArgument(call, 'learning_rate');
  const optim = resolveValue(file, file.keywordArgument(call, 'optim'))?.value;
  if (!node || (file.keywordArgument(call, 'optim') && !(typeof optim === 'string' && optim.startsWith('adamw')))) return undefined;
  const rate = resolveValue(file, node);
  if (typeof rate?.value !== 'number' || rate.value <= 0) return undefined;
  const given = describeRate('learning_rate', rate, node);
  if (pretrained && rate.value > maxFinetune) return fineTuneHit(file, node, rate, given, pretrained, maxFinetune, 'the Trainer (AdamW)');
  return rangeHit(file, node, rate, given, 'adam', 'the Trainer\'s AdamW', 'the Trainer\'s default 5e-5', []);
}

/** OneCycleLR sets the optimizer's rate from `max_lr`, so that is the rate to judge, against the optimizer it drives. */
function checkOneCycle(file: PythonFile, call: Node): RuleHit | undefined {
  const positional = file.positionalArguments(call);
  const maxLr = file.keywordArgument(call, 'max_lr') ?? positional[1];
  const target = file.keywordArgument(call, 'optimizer') ?? positional[0];
  const bound = target?.type === 'identifier' ? bindingOf(file, target) : target;
  const optimizer = bound?.type === 'call' ? optimizerCall(file, bound) : undefined;
  if (!maxLr || !optimizer) return undefined;
  const rate = resolveValue(file, maxLr);
  if (typeof rate?.value !== 'number' || rate.value <= 0) return undefined;
  return rangeHit(file, maxLr, rate, describeRate('max_lr', rate, maxLr), optimizer.family, optimizerLabel(optimizer), defaultText(optimizer), [
    `OneCycleLR drives ${quoteNode(optimizer.call)}; its \`max_lr\` replaces the optimizer's own rate`,
  ], 'OneCycleLR peak learning rate (max_lr)');
}

function rangeHit(
  file: PythonFile,
  target: Node,
  rate: Resolved,
  given: string,
  family: OptimizerFamily,
  optimizer: string,
  start: string,
  extra: string[],
  subject = 'Learning rate',
): RuleHit | undefined {
  const range = RANGES[family];
  const value = rate.value as number;
  if (value >= range.low && value <= range.high) return undefined;
  const high = value > range.high;
  const from = rate.via ? ` (from ${rate.via})` : '';
  const consequence = high ? 'steps this large usually make the loss diverge or the weights blow up' : 'the weights will barely move and training stalls';
  return {
    range: file.range(target),
    message:
      `${subject} ${formatRate(value)}${from} is ${high ? 'above' : 'below'} the range used in practice for ${optimizer} ` +
      `(${formatRate(range.low)} … ${formatRate(range.high)}): ${consequence}. Run a learning-rate range test, or start from ${start}.`,
    evidence: [given, ...extra, `range used in practice for ${range.label}: ${formatRate(range.low)} … ${formatRate(range.high)}; ${start}`],
    data: { lr: value, via: rate.via, direction: high ? 'high' : 'low', low: range.low, high: range.high, family },
  };
}

function fineTuneHit(file: PythonFile, target: Node, rate: Resolved, given: string, pretrained: PretrainedModel, max: number, optimizer: string): RuleHit {
  const value = rate.value as number;
  const from = rate.via ? ` (from ${rate.via})` : '';
  const model = (file.calleeName(pretrained.call) ?? '').split('.').at(-2) ?? 'model';
  return {
    range: file.range(target),
    message:
      `Learning rate ${formatRate(value)}${from} for fine-tuning the pretrained ${model} with ${optimizer} is above ${formatRate(max)}: ` +
      `updates this large overwrite what pre-training learned. BERT was fine-tuned at 2e-5 … 5e-5; use a rate in that range, with warm-up.`,
    evidence: [
      given,
      `pretrained model ${quoteNode(pretrained.call)}, trained in full (no frozen weights, no adapters)`,
      `fine-tuning range 2e-5 … 5e-5 (Devlin et al. 2019); reported above \`${MAX_FINETUNE}\` = ${formatRate(max)}`,
    ],
    data: { lr: value, via: rate.via, direction: 'high', high: max, family: 'fine-tune' },
  };
}

function describeRate(keyword: string, rate: Resolved, node: Node | undefined): string {
  const value = formatRate(rate.value as number);
  if (!node) return `\`${keyword}\` not given: ${rate.via} is ${value}`;
  return rate.via ? `\`${keyword}\` = ${value} from ${rate.via}` : `\`${keyword}\` = ${value} (line ${node.startPosition.row + 1})`;
}

function momentumEvidence(file: PythonFile, optimizer: OptimizerCall): string[] {
  if (optimizer.family !== 'sgd-momentum') return [];
  const node = file.keywordArgument(optimizer.call, 'momentum');
  const momentum = node && resolveValue(file, node);
  return typeof momentum?.value === 'number' ? [`\`momentum\` = ${momentum.value}${momentum.via ? ` from ${momentum.via}` : ''}, so the range for SGD with momentum applies`] : ['Nesterov momentum, so the range for SGD with momentum applies'];
}

function optimizerLabel(optimizer: OptimizerCall): string {
  return `${frameworkLabel(optimizer)} ${optimizer.name}${optimizer.family === 'sgd-momentum' ? ' with momentum' : ''}`;
}

function frameworkLabel(optimizer: OptimizerCall): string {
  return optimizer.framework === 'transformers' ? 'transformers' : optimizer.framework;
}

/** Keras optimizers fine-tune the TensorFlow classes of transformers (`TFBertModel`, `TFAutoModel…`). */
function isTensorFlowModel(file: PythonFile, pretrained: PretrainedModel): boolean {
  return ((file.calleeName(pretrained.call) ?? '').split('.').at(-2) ?? '').startsWith('TF');
}

function defaultText(optimizer: OptimizerCall): string {
  if (optimizer.family === 'sgd-momentum') return 'a typical 0.1 with momentum 0.9';
  if (optimizer.defaultLr !== undefined && optimizer.family !== 'sgd') return `${optimizer.name}'s default ${formatRate(optimizer.defaultLr)}`;
  return `a typical ${formatRate(RANGES[optimizer.family].typical)}`;
}
