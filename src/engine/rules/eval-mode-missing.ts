import type { Node } from 'web-tree-sitter';
import { isEntryPoint } from '../python/entry-point';
import type { PythonFile } from '../python/python-file';
import { constructorOf } from '../python/training-setup/assignments';
import { switchesToEvalMode } from '../python/training-setup/evaluation-passes';
import { evaluationLoops, type EvaluationLoop } from '../python/training-setup/evaluation-loops';
import { modelModeDependence, type ModeDependence } from '../python/training-setup/mode-dependent-layers';
import { calledFunction, enclosingFunction, receiver } from '../python/training-setup/reachable-calls';
import { quoteNode } from './evidence';
import type { PythonRule, RuleHit } from './rule';

export const evalModeMissing: PythonRule = {
  code: 'eval-mode-missing',
  drawback: 'overfitting',
  defaultSeverity: 'warning',
  title: 'Evaluation runs the model in training mode (no model.eval())',
  explanation: `
A PyTorch module starts in training mode and stays there until \`model.eval()\` (or
\`model.train(False)\`) switches it. In training mode, \`Dropout\` keeps zeroing random units and
\`BatchNorm\` normalises with the statistics of the current batch — and updates its running averages
with the validation data. \`torch.no_grad()\` does **not** change this: it only stops gradient
tracking. A validation or test loop without \`eval()\` therefore reports a noisy, usually pessimistic
score that changes with the batch size, so the overfitting you are watching for (and early stopping
or model selection based on it) is measured wrongly.

The rule looks at loops that run a model under \`torch.no_grad()\` / \`torch.inference_mode()\` (block
or decorator) or inside a function named like \`evaluate\`, \`validate\` or \`test\` that never calls
\`backward()\`, and accepts any \`.eval()\` / \`.train(False)\` before the model call in the same
function, in a helper called before it, or before every call of the evaluating function. It reports a
**warning** when the model is built in this file from layers that behave differently in training
mode (Dropout, BatchNorm, Transformer layers, torchvision models), stays silent when every layer is
known and none does (\`eval()\` would change nothing), and reports **info** when the model's layers
cannot be seen (imported classes, hub models). Models loaded with \`from_pretrained\` start in eval
mode and are skipped unless the file calls \`.train()\` on them. Only scripts are checked, not modules
that only define functions for others.

## How to fix
\`\`\`python
def evaluate(model, loader):
    model.eval()
    with torch.no_grad():
        for x, y in loader:
            ...
    model.train()  # if training continues afterwards
\`\`\`

Sources: PyTorch, \`torch.nn.Module.eval\` (pytorch.org/docs/stable/generated/torch.nn.Module.html#torch.nn.Module.eval);
PyTorch, "Autograd mechanics — locally disabling gradient computation", on \`no_grad\` versus
evaluation mode (pytorch.org/docs/stable/notes/autograd.html#locally-disable-grad-doc).
`,
  checkPython(file): RuleHit[] {
    if (!isEntryPoint(file) || /(^|[\\/])(test_[^\\/]*|[^\\/]*_test|conftest)\.py$/.test(file.path)) return [];
    const hits: RuleHit[] = [];
    for (const evaluation of evaluationLoops(file)) {
      const scope = enclosingFunction(evaluation.modelCall);
      if (switchedBefore(file, evaluation.modelCall, scope)) continue;
      let model = evaluation.model;
      if (scope) {
        const callers = callersOf(file, scope);
        if (callers.length === 0 || callers.some((c) => switchedOnTheWay(file, c, 0))) continue;
        model = argumentFor(file, scope, callers[0], model) ?? model;
      }
      if (loadedInEvalMode(file, model)) continue;
      const dependence = modelModeDependence(file, model);
      if (dependence.kind === 'no') continue;
      hits.push(hit(file, evaluation, model, dependence));
    }
    return hits;
  },
};

function hit(file: PythonFile, evaluation: EvaluationLoop, model: string, dependence: ModeDependence): RuleHit {
  const call = evaluation.modelCall;
  const evidence = [`${quoteNode(call)} runs inside ${evaluation.contextLabel} (line ${evaluation.context.startPosition.row + 1})`];
  const scope = enclosingFunction(call);
  evidence.push(`no \`.eval()\` or \`.train(False)\` before it${scope ? ` in \`${scope.childForFieldName('name')?.text}()\` or before its calls` : ''}`);
  if (dependence.kind === 'yes') {
    const layers = dependence.layers.slice(0, 3).map((l) => quoteNode(l));
    evidence.push(`\`${model}\` has layers that behave differently in training mode: ${layers.join(', ')}${dependence.layers.length > 3 ? ', …' : ''}`);
    return {
      range: file.range(call),
      message:
        `${model} is evaluated in training mode: nothing calls ${model}.eval() first, so its ${layerWords(file, dependence.layers)} still act as in training ` +
        '(torch.no_grad() does not change that) and the measured score is noisy and off. Call model.eval() before the loop and model.train() after it.',
      evidence,
      data: { model, layers: dependence.layers.length },
    };
  }
  evidence.push(`what \`${model}\` is built from is not visible here; if it has Dropout or BatchNorm, they act as in training`);
  return {
    range: file.range(call),
    message: `${model} is evaluated without ${model}.eval(): any Dropout or BatchNorm layer in it still acts as in training (torch.no_grad() does not change that). Call model.eval() before the loop and model.train() after it.`,
    severity: 'info',
    evidence,
    data: { model, layers: 'unknown' },
  };
}

/** "Dropout and BatchNorm layers" from the layers found. */
function layerWords(file: PythonFile, layers: Node[]): string {
  const kinds = new Set<string>();
  for (const layer of layers) {
    const name = file.calleeName(layer) ?? '';
    if (/dropout/i.test(name)) kinds.add('Dropout');
    else if (/norm/i.test(name)) kinds.add('BatchNorm');
    else if (/Transformer/.test(name)) kinds.add('Transformer (dropout)');
    else kinds.add('Dropout/BatchNorm');
  }
  return `${[...kinds].join(' and ')} layers`;
}

/** An eval switch before `node` in the same function (or at module level), directly or in a helper called there. */
function switchedBefore(file: PythonFile, node: Node, scope: Node | undefined): boolean {
  const scopeStart = scope?.startIndex;
  return file.calls.some((c) => {
    if (c.startIndex >= node.startIndex || enclosingFunction(c)?.startIndex !== scopeStart) return false;
    if (switchesToEvalMode(file, c)) return true;
    const helper = calledFunction(file, c);
    return helper !== undefined && helper.descendantsOfType('call').some((inner) => inner !== null && switchesToEvalMode(file, inner));
  });
}

/** Callers of callers are followed this far: `main` → `run_validation` → `evaluate`. */
const MAX_CALLER_DEPTH = 3;

/**
 * Whether an eval switch runs before this call, in its function or — when that function is itself
 * called from elsewhere in the file — before any of those calls, a few levels up. A function nobody
 * in this file calls may be called after `model.eval()` from elsewhere: given the benefit of the doubt.
 */
function switchedOnTheWay(file: PythonFile, call: Node, depth: number): boolean {
  const scope = enclosingFunction(call);
  if (switchedBefore(file, call, scope)) return true;
  if (!scope) return false;
  if (depth >= MAX_CALLER_DEPTH) return true;
  const callers = callersOf(file, scope).filter((c) => enclosingFunction(c)?.startIndex !== scope.startIndex);
  return callers.length === 0 || callers.some((c) => switchedOnTheWay(file, c, depth + 1));
}

/** Calls of a function of this file: `evaluate(...)` or `self.evaluate(...)`. */
function callersOf(file: PythonFile, fn: Node): Node[] {
  const name = fn.childForFieldName('name')?.text;
  return file.calls.filter((c) => {
    const callee = c.childForFieldName('function');
    if (callee?.type === 'identifier') return callee.text === name;
    return callee?.type === 'attribute' && callee.childForFieldName('object')?.text === 'self' && callee.childForFieldName('attribute')?.text === name;
  });
}

/** The argument a caller passes for a parameter: `validate(model, val_loader)` → `model` for parameter `net`. */
function argumentFor(file: PythonFile, fn: Node, caller: Node, parameter: string): string | undefined {
  const params = (fn.childForFieldName('parameters')?.namedChildren ?? []).map((p) => (p?.type === 'identifier' ? p.text : (p?.childForFieldName('name')?.text ?? p?.namedChildren[0]?.text)));
  const index = params.filter((p) => p !== 'self').indexOf(parameter);
  if (index < 0) return undefined;
  const argument = file.keywordArgument(caller, parameter) ?? file.positionalArguments(caller)[index];
  return argument && (argument.type === 'identifier' || argument.type === 'attribute') ? argument.text : undefined;
}

/** `AutoModel.from_pretrained(...)` returns a model in eval mode; only a later `.train()` changes that. */
function loadedInEvalMode(file: PythonFile, model: string): boolean {
  const built = constructorOf(file, model);
  if (!built || file.calleeTail(built) !== 'from_pretrained') return false;
  return !file.calls.some((c) => file.calleeTail(c) === 'train' && receiver(c)?.text === model);
}
