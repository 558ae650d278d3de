import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import { receiver } from './reachable-calls';

/** Words in a function's name that say it evaluates: `evaluate`, `validate_epoch`, `run_test`, `valLoop`. */
const EVAL_WORDS = new Set(['eval', 'evaluate', 'evaluation', 'evaluator', 'validate', 'validation', 'valid', 'val', 'test', 'testing', 'inference', 'predict', 'score', 'accuracy', 'acc', 'metric', 'metrics']);

/** Whether a name reads as an evaluation step: split on `_` and camelCase humps, one word matches. */
export function soundsLikeEvaluation(name: string): boolean {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/_+/)
    .some((word) => EVAL_WORDS.has(word));
}

/** `model.eval()`, `model.train(False)` or `model.train(mode=False)`: the call that switches a module to inference behaviour. */
export function switchesToEvalMode(file: PythonFile, call: Node): boolean {
  const tail = file.calleeTail(call);
  if (!receiver(call)) return false;
  if (tail === 'eval') return file.positionalArguments(call).length === 0;
  if (tail !== 'train') return false;
  const mode = file.keywordArgument(call, 'mode') ?? file.positionalArguments(call)[0];
  return file.evaluate(mode)?.value === false;
}

/** `torch.no_grad()`, `torch.inference_mode()`, `torch.set_grad_enabled(False)` as a context or decorator. */
export function disablesGradients(file: PythonFile, call: Node): boolean {
  const name = file.calleeName(call) ?? '';
  if (/^torch(\.autograd(\.grad_mode)?)?\.(no_grad|inference_mode)$/.test(name)) return true;
  if (/^torch(\.autograd(\.grad_mode)?)?\.set_grad_enabled$/.test(name)) return file.evaluate(file.positionalArguments(call)[0])?.value === false;
  return false;
}

/**
 * Any sign that a file evaluates a PyTorch model somewhere: a switch to eval mode, a block or function
 * without gradients, or a call to a function named like an evaluation step (defined here or imported).
 * Lenient on purpose: `no-validation` only speaks when none of these is present.
 */
export function evaluationSign(file: PythonFile): Node | undefined {
  const call = file.calls.find((c) => {
    if (switchesToEvalMode(file, c) || disablesGradients(file, c)) return true;
    const tail = file.calleeTail(c);
    return tail !== undefined && soundsLikeEvaluation(tail);
  });
  if (call) return call;
  // A loop over held-out data: `for x, y in val_loader`, `for batch in test_dl`.
  return file.nodesOfType('for_statement').find((loop) => {
    const over = loop.childForFieldName('right')?.text ?? '';
    return over.length < 200 && /(^|[^a-z])(val|valid|validation|test|dev|holdout|eval)([^a-z]|$)/i.test(over.replace(/_/g, ' '));
  });
}
