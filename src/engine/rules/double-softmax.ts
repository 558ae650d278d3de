import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python/python-file';
import { unwrapModelCall, valuesAssignedTo } from '../python/training-setup/assignments';
import { kerasLoss, kerasOutput } from '../python/training-setup/keras-models';
import { normalisedOutput } from '../python/training-setup/output-activation';
import { importsTorch, receiver } from '../python/training-setup/reachable-calls';
import { codeSpan, quoteNode } from './evidence';
import type { PythonRule, RuleHit } from './rule';

export const doubleSoftmax: PythonRule = {
  code: 'double-softmax',
  drawback: 'hyperparameters',
  defaultSeverity: 'warning',
  title: 'Softmax applied twice, or logits passed where probabilities are expected',
  explanation: `
PyTorch's \`nn.CrossEntropyLoss\` / \`F.cross_entropy\` expect **raw logits**: they apply log-softmax
themselves. Feeding them a softmax output normalises twice. The loss then works on probabilities
squeezed into [0, 1], whose log-softmax is nearly flat: gradients shrink, the loss plateaus well
above zero and training looks as if the learning rate were far too small — which is why the rule
counts under hyperparameter sensitivity: people raise the learning rate or train longer to
compensate for a bug in the loss wiring. Keras has the mirror mistakes: \`from_logits=True\` on a model
whose last layer already applies softmax (or sigmoid), and a loss left at \`from_logits=False\` — the
default of the string losses such as \`"sparse_categorical_crossentropy"\` — on a model that ends in a
\`Dense\` layer with no activation, so raw scores are clipped and treated as probabilities.

Detected: \`F.cross_entropy(F.softmax(x), y)\`, \`criterion(torch.softmax(out, 1), y)\` with
\`criterion = nn.CrossEntropyLoss()\`, a variable assigned a softmax in the same function, and a model of
this file whose \`forward\` returns a softmax on every path (or an \`nn.Sequential\` ending in \`nn.Softmax\`);
in Keras, the last layer of \`Sequential([...])\`, \`model.add(...)\` or \`Model(inputs, outputs)\`
against the loss given to \`compile\`. \`nn.LogSoftmax\` / \`F.log_softmax\` followed by \`CrossEntropyLoss\`
is reported as *info*: log-softmax is idempotent, so the loss is right but computed twice — the
intended pairing is \`NLLLoss\`. A model that returns softmax only in eval mode (\`if self.training\`) is
not flagged.

## How to fix
- PyTorch: return logits from \`forward\` and apply \`softmax\` only when you need probabilities
  (prediction, calibration); keep \`nn.CrossEntropyLoss\`. With a \`LogSoftmax\` output, use \`nn.NLLLoss\`.
- Keras: either \`Dense(n, activation="softmax")\` with \`from_logits=False\` (the default), or
  \`Dense(n)\` with \`SparseCategoricalCrossentropy(from_logits=True)\` — the latter is numerically safer.

Sources: PyTorch, \`torch.nn.CrossEntropyLoss\` ("The input is expected to contain the unnormalized
logits for each class", pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html);
Keras, \`SparseCategoricalCrossentropy\` \`from_logits\` (keras.io/api/losses/probabilistic_losses).
`,
  checkPython(file): RuleHit[] {
    return [...torchHits(file), ...kerasHits(file)].sort((a, b) => a.range.start.line - b.range.start.line);
  },
};

function torchHits(file: PythonFile): RuleHit[] {
  if (!importsTorch(file)) return [];
  const hits: RuleHit[] = [];
  for (const call of file.calls) {
    const loss = crossEntropy(file, call);
    if (!loss || file.hasSplat(call)) continue;
    const input = file.keywordArgument(call, 'input') ?? file.positionalArguments(call)[0];
    const output = input && normalisedOutput(file, input);
    if (!output) continue;
    const where = output.model ? `${output.model}'s output (${quoteNode(output.at)})` : quoteNode(output.at);
    if (output.kind === 'softmax') {
      hits.push({
        range: file.range(call),
        message:
          `${loss} applies log-softmax itself, but its input is already a softmax output (${oneLine(output.at)}, line ${line(output.at)}): ` +
          'probabilities get normalised twice, gradients shrink and training stalls. Pass the raw logits; apply softmax only for predictions.',
        evidence: [`${quoteNode(call)} is ${loss}`, `its input is ${where}`],
        data: { framework: 'pytorch', input: 'softmax' },
      });
    } else {
      hits.push({
        range: file.range(call),
        message:
          `${loss} applies log-softmax itself, but its input is already log-softmax (${oneLine(output.at)}, line ${line(output.at)}): ` +
          'the loss is the same but computed twice. Use nn.NLLLoss / F.nll_loss with a log-softmax output, or pass raw logits.',
        severity: 'info',
        evidence: [`${quoteNode(call)} is ${loss}`, `its input is ${where}`],
        data: { framework: 'pytorch', input: 'log_softmax' },
      });
    }
  }
  return hits;
}

/** `F.cross_entropy(...)`, `nn.CrossEntropyLoss()(...)` or `criterion(...)` bound to one: the name to show. */
function crossEntropy(file: PythonFile, call: Node): string | undefined {
  if (/^torch\.nn\.functional\.cross_entropy$/.test(file.calleeName(call) ?? '')) return 'F.cross_entropy';
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  // `nn.CrossEntropyLoss().to(device)` is still the loss.
  const bound = fn.type === 'call' ? [fn] : fn.type === 'identifier' || fn.type === 'attribute' ? valuesAssignedTo(file, fn.text) : [];
  const values = bound.map((v) => unwrapModelCall(v) ?? v);
  const isLoss = values.length > 0 && values.every((v) => v.type === 'call' && /^torch\.nn(\.modules(\.loss)?)?\.CrossEntropyLoss$/.test(file.calleeName(v) ?? ''));
  return isLoss ? 'CrossEntropyLoss' : undefined;
}

function kerasHits(file: PythonFile): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const call of file.calls) {
    const model = receiver(call)?.text;
    if (file.calleeTail(call) !== 'compile' || !model) continue;
    const loss = kerasLoss(file, call);
    const output = loss && kerasOutput(file, model);
    if (!loss || !output) continue;
    const squash = loss.family === 'categorical' ? 'softmax' : 'sigmoid';
    const evidence = [`last layer of \`${model}\`: ${quoteNode(output.layer)}, activation ${output.activation}`, `loss: ${codeSpan(loss.label)} (line ${line(loss.node)}), from_logits=${loss.fromLogits ? 'True' : 'False'}`];
    if (loss.fromLogits && output.activation === squash) {
      hits.push({
        range: file.range(loss.node),
        message:
          `The loss expects logits (from_logits=True) but the last layer, ${oneLine(output.layer)} (line ${line(output.layer)}), already applies ${squash}: ` +
          `${squash} is applied twice, gradients shrink and training stalls. Drop from_logits=True, or remove the activation from the last layer.`,
        evidence,
        data: { framework: 'keras', activation: output.activation, fromLogits: true },
      });
    } else if (!loss.fromLogits && output.activation === 'linear') {
      hits.push({
        range: file.range(loss.node),
        message:
          `${loss.label} expects probabilities (from_logits=False) but the last layer, ${oneLine(output.layer)} (line ${line(output.layer)}), has no activation and outputs raw logits: ` +
          `the loss clips them as if they were probabilities and optimises the wrong objective. Pass from_logits=True to the loss, or add activation="${squash}".`,
        evidence,
        data: { framework: 'keras', activation: output.activation, fromLogits: false },
      });
    }
  }
  return hits;
}

function line(node: Node): number {
  return node.startPosition.row + 1;
}

function oneLine(node: Node): string {
  const flat = node.text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}
