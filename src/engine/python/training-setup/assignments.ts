import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';

/** At most this many `.to(device)`-style wrappers are looked through. */
const MAX_UNWRAP = 8;

/**
 * The assignment statements binding a name (`model`, `self.model`) anywhere in the file, in document
 * order. Names are compared as written: `self.net` matches `self.net`, not `net`. Indexed once per file.
 */
export function assignmentsTo(file: PythonFile, name: string): Node[] {
  let index = file.memo.get('assignments-by-name') as Map<string, Node[]> | undefined;
  if (!index) {
    index = new Map();
    for (const assignment of file.assignments) {
      const left = assignment.childForFieldName('left');
      if (!left || (left.type !== 'identifier' && left.type !== 'attribute')) continue;
      const list = index.get(left.text);
      if (list) list.push(assignment);
      else index.set(left.text, [assignment]);
    }
    file.memo.set('assignments-by-name', index);
  }
  return index.get(name) ?? [];
}

/** The right-hand sides bound to a name anywhere in the file, in document order. */
export function valuesAssignedTo(file: PythonFile, name: string): Node[] {
  const key = `assigned:${name}`;
  const memo = file.memo.get(key) as Node[] | undefined;
  if (memo) return memo;
  const values = assignmentsTo(file, name)
    .map((a) => a.childForFieldName('right'))
    .filter((v): v is Node => v !== null);
  file.memo.set(key, values);
  return values;
}

/**
 * The call behind an expression (or the innermost non-call it reaches), looking through the chains scripts wrap models in:
 * `Net().to(device)`, `model.cuda()`, `nn.DataParallel(Net())` is left alone (its argument differs).
 */
export function unwrapModelCall(node: Node | null | undefined): Node | undefined {
  let current = node ?? undefined;
  for (let i = 0; current && i < MAX_UNWRAP; i++) {
    if (current.type === 'parenthesized_expression') {
      current = current.namedChildren.find((c) => c !== null) ?? undefined;
      continue;
    }
    if (current.type !== 'call') return current;
    const fn = current.childForFieldName('function');
    const tail = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    if (fn?.type === 'attribute' && tail && ['to', 'cuda', 'cpu', 'double', 'float', 'half', 'train'].includes(tail)) {
      current = fn.childForFieldName('object') ?? undefined;
      continue;
    }
    return current;
  }
  return undefined;
}

/** The one constructor call a name is bound to, when every binding of it agrees on the callee. */
export function constructorOf(file: PythonFile, name: string): Node | undefined {
  // `model = model.to(device)` rebinds the same object; it says nothing about what the model is.
  const calls = valuesAssignedTo(file, name)
    .map((v) => unwrapModelCall(v))
    .filter((c) => !(c?.type === 'identifier' && c.text === name));
  if (calls.length === 0 || calls.some((c) => c?.type !== 'call')) return undefined;
  const callee = calls[0]!.childForFieldName('function')?.text;
  return calls.every((c) => c!.childForFieldName('function')?.text === callee) ? calls[0] : undefined;
}
