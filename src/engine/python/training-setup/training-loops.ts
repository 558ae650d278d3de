import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import { valuesAssignedTo } from './assignments';
import { importsTorch, reachableCalls, receiver } from './reachable-calls';

/** A PyTorch optimisation loop: a loop whose body (or a helper it calls) runs backward and a step. */
export interface TrainingLoop {
  /** The innermost `for`/`while` that runs both. */
  loop: Node;
  /** `loss.backward()` (or `scaler.scale(loss).backward()`). */
  backward: Node;
  /** `optimizer.step()` (or `scaler.step(optimizer)`). */
  step: Node;
  /** The optimizer as written: `optimizer`, `self.opt`. */
  optimizer: string;
  /** Every call the loop runs, through helpers of this file. */
  calls: Node[];
}

/** Loops examined per file; generated files with thousands of loops are not training scripts. */
const MAX_LOOPS = 400;
const LOOP_TYPES = ['for_statement', 'while_statement'];
/** Optimizer classes outside torch.optim that scripts use as drop-ins. */
const OPTIMIZER_CLASSES = /(^|\.)(SGD|Adam|AdamW|Adamax|NAdam|RAdam|RMSprop|Adagrad|Adadelta|LBFGS|Lion|Adafactor|LAMB|Lamb|Ranger|Novograd|SparseAdam|ASGD|Rprop|AdamW8bit|Adam8bit|PagedAdamW)$/;

/** The PyTorch training loops of a file, innermost first-found; empty when the file does not use torch. */
export function trainingLoops(file: PythonFile): TrainingLoop[] {
  const memo = file.memo.get('training-loops') as TrainingLoop[] | undefined;
  if (memo) return memo;
  const loops: TrainingLoop[] = [];
  // Most files never call backward(): skip the loop walk for them.
  if (importsTorch(file) && file.calls.some((c) => file.calleeTail(c) === 'backward')) {
    const candidates: TrainingLoop[] = [];
    for (const type of LOOP_TYPES) {
      for (const loop of file.nodesOfType(type).slice(0, MAX_LOOPS)) {
        const found = loopParts(file, loop);
        if (found) candidates.push(found);
      }
    }
    // Keep the innermost: an epoch loop around a batch loop runs the same backward and step.
    for (const candidate of candidates) {
      const inner = candidates.some((c) => c !== candidate && c.loop.startIndex >= candidate.loop.startIndex && c.loop.endIndex <= candidate.loop.endIndex);
      if (!inner) loops.push(candidate);
    }
    loops.sort((a, b) => a.loop.startIndex - b.loop.startIndex);
  }
  file.memo.set('training-loops', loops);
  return loops;
}

function loopParts(file: PythonFile, loop: Node): TrainingLoop | undefined {
  const body = loop.childForFieldName('body');
  if (!body) return undefined;
  const calls = reachableCalls(file, body);
  const backward = calls.find((c) => isBackward(file, c));
  if (!backward) return undefined;
  for (const call of calls) {
    const optimizer = optimizerStepped(file, call);
    if (optimizer) return { loop, backward, step: call, optimizer, calls };
  }
  return undefined;
}

/**
 * `loss.backward()`: a `backward` method with no positional argument. `accelerator.backward(loss)`
 * and DeepSpeed's `engine.backward(loss)` take the loss as an argument and are left out: DeepSpeed's
 * engine zeroes gradients itself.
 */
export function isBackward(file: PythonFile, call: Node): boolean {
  return file.calleeTail(call) === 'backward' && receiver(call) !== undefined && file.positionalArguments(call).length === 0 && !file.hasSplat(call);
}

/** The optimizer a `step` call advances, as written, or undefined when it is not an optimizer step. */
export function optimizerStepped(file: PythonFile, call: Node): string | undefined {
  if (file.calleeTail(call) !== 'step') return undefined;
  const object = receiver(call);
  if (!object) return undefined;
  // AMP: `scaler.step(optimizer)`.
  const [first] = file.positionalArguments(call);
  if (/scaler/i.test(object.text) && first) return first.text;
  return isOptimizer(file, object.text) ? object.text : undefined;
}

/** A name bound to an optimizer: built from `torch.optim.*` or a known optimizer class, or named like one. */
export function isOptimizer(file: PythonFile, name: string): boolean {
  if (/sched|(^|[._])lr($|_)/i.test(name)) return false;
  for (const value of valuesAssignedTo(file, name)) {
    if (value.type !== 'call') continue;
    const callee = file.calleeName(value) ?? value.childForFieldName('function')?.text ?? '';
    if (/lr_scheduler|scheduler/i.test(callee)) return false;
    if (callee.startsWith('torch.optim.') || OPTIMIZER_CLASSES.test(callee)) return true;
  }
  return /(^|[._])(optim|optimizer|optimiser|opt)\w*$/i.test(name);
}
