import type { Node } from 'web-tree-sitter';
import type { PythonFile } from './python-file';

const DEFINITIONS = new Set(['function_definition', 'class_definition', 'decorated_definition']);
const LOOPS = new Set(['for_statement', 'while_statement', 'with_statement']);

/**
 * Whether a file runs work when executed, as a training script does, rather than only defining
 * things for others to import. A module of model classes draws random weights only when a script
 * builds them, and seeding is that script's job; flagging the module would cry wolf.
 */
export function isEntryPoint(file: PythonFile): boolean {
  const memo = file.memo.get('entry-point');
  if (typeof memo === 'boolean') return memo;
  const result = computeEntryPoint(file);
  file.memo.set('entry-point', result);
  return result;
}

function computeEntryPoint(file: PythonFile): boolean {
  const classes = new Set(file.statements.filter((n) => n.type === 'class_definition').map((n) => n.childForFieldName('name')?.text));
  for (const statement of file.statements) {
    if (DEFINITIONS.has(statement.type)) continue;
    if (LOOPS.has(statement.type) || isMainGuard(statement)) return true;
  }
  // Top-level code that calls into this file's own functions or classes: `main()`, `model = Net()`.
  return file.calls.some((call) => {
    const fn = call.childForFieldName('function');
    return fn?.type === 'identifier' && (file.functions.has(fn.text) || classes.has(fn.text)) && runsAtModuleLevel(call);
  });
}

function isMainGuard(statement: Node): boolean {
  if (statement.type !== 'if_statement') return false;
  const condition = statement.childForFieldName('condition')?.text.replace(/\s+/g, '') ?? '';
  return /^__name__==(['"])__main__\1$|^(['"])__main__\2==__name__$/.test(condition);
}

/** True when the node runs at import time: not inside a function body or class. */
export function runsAtModuleLevel(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') return false;
  }
  return true;
}
