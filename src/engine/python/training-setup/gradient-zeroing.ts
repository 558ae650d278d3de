import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import { receiver } from './reachable-calls';

/**
 * Whether a call clears gradients: `optimizer.zero_grad()`, `model.zero_grad(set_to_none=True)`,
 * `p.grad.zero_()`, `p.grad.data.zero_()`, or a helper of a library named for it (`clear_grads`,
 * `reset_grad`) that DL Doctor cannot see into and so takes at its word.
 */
export function zeroesGradients(file: PythonFile, call: Node): boolean {
  const tail = file.calleeTail(call) ?? '';
  if (/zero_?grad/i.test(tail)) return true;
  if ((tail === 'zero_' || tail === 'detach_') && /\bgrad\b/.test(receiver(call)?.text ?? '')) return true;
  return /grad/i.test(tail) && /zero|clear|reset/i.test(tail);
}

/** `p.grad = None` (or `param.grad = None` in a loop over parameters) anywhere in the file. */
export function assignsGradNone(file: PythonFile): Node | undefined {
  return file.assignments.find((a) => {
    const left = a.childForFieldName('left');
    return left?.type === 'attribute' && left.childForFieldName('attribute')?.text === 'grad' && a.childForFieldName('right')?.type === 'none';
  });
}
