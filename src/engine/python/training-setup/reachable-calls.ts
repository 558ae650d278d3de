import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';

/** Helpers call helpers; follow a few levels, as training scripts nest them, and no further. */
const MAX_DEPTH = 3;
/** Bound on the calls gathered for one region, whatever the file looks like. */
const MAX_CALLS = 5_000;

/**
 * Every call inside `region`, plus the calls inside the functions of this file it calls by name
 * (`train_one_epoch(...)`, `self.training_step(...)`), a few levels deep. What a loop body does often
 * sits in a helper: pytorch/examples' mnist zeroes gradients inside `train()`, called per epoch.
 */
export function reachableCalls(file: PythonFile, region: Node): Node[] {
  const key = `reachable-calls:${region.startIndex}:${region.endIndex}`;
  const memo = file.memo.get(key) as Node[] | undefined;
  if (memo) return memo;
  const found: Node[] = [];
  const visited = new Set<number>();
  const visit = (node: Node, depth: number) => {
    for (const call of node.descendantsOfType('call')) {
      if (!call || found.length >= MAX_CALLS) return;
      found.push(call);
      const fn = depth < MAX_DEPTH ? calledFunction(file, call) : undefined;
      if (fn && !visited.has(fn.startIndex) && !isInside(call, fn)) {
        visited.add(fn.startIndex);
        visit(fn, depth + 1);
      }
    }
  };
  visit(region, 0);
  file.memo.set(key, found);
  return found;
}

/** The function of this file a call runs: `helper(...)` or a method on `self`. */
export function calledFunction(file: PythonFile, call: Node): Node | undefined {
  const local = file.localCallee(call);
  if (local) return local;
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('object')?.text !== 'self') return undefined;
  const name = fn.childForFieldName('attribute')?.text;
  return name ? file.functions.get(name) : undefined;
}

export function isInside(node: Node, container: Node): boolean {
  return node.startIndex >= container.startIndex && node.endIndex <= container.endIndex;
}

/** The object a method is called on: `optimizer` in `optimizer.step()`. */
export function receiver(call: Node): Node | undefined {
  const fn = call.childForFieldName('function');
  return fn?.type === 'attribute' ? (fn.childForFieldName('object') ?? undefined) : undefined;
}

/** The innermost function definition around a node, or undefined at module level. */
export function enclosingFunction(node: Node): Node | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
  return undefined;
}

/** Whether the file imports PyTorch (or a library built on it) at all. */
export function importsTorch(file: PythonFile): boolean {
  for (const binding of file.imports.values()) {
    if (/^(torch|lightning|pytorch_lightning|accelerate|transformers)(\.|$)/.test(binding.qualified)) return true;
  }
  return false;
}
