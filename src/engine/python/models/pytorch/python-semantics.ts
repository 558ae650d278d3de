import type { Node } from 'web-tree-sitter';
import { isObject, type Value } from './module-values';

/**
 * Python's meaning of the operators and small built-ins the model builder evaluates, over statically
 * known values: truthiness, comparisons, arithmetic (true division, floor division and modulo as
 * Python defines them, banker's rounding), plus tree helpers. Anything not certain is `undefined`.
 */

/** A method defined in the class's own body. */
export function ownMethod(cls: Node, name: string): Node | undefined {
  for (const statement of named(cls.childForFieldName('body'))) {
    const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (definition?.type === 'function_definition' && definition.childForFieldName('name')?.text === name) return definition;
  }
  return undefined;
}

export function named(node: Node | null | undefined): Node[] {
  return node ? node.namedChildren.filter((c): c is Node => c !== null) : [];
}

export function isKnown(value: Value | undefined): boolean {
  return value !== undefined && !isObject(value, 'unknown');
}

export function asNumber(value: Value | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return Number(value);
  return undefined;
}

export function truthy(value: Value): boolean | undefined {
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'boolean') return value;
  if (value === null) return false;
  if (isObject(value, 'list')) return value.items.length > 0;
  if (isObject(value, 'dict')) return value.entries.size > 0;
  if (isObject(value, 'unknown')) return undefined;
  return true;
}

export function compare(operator: string, a: Value, b: Value): boolean | undefined {
  if (operator === 'is' || operator === 'is not') {
    if (isObject(a, 'unknown') || isObject(b, 'unknown')) return undefined;
    const same = a === b || (a === null && b === null);
    return operator === 'is' ? same : !same;
  }
  if (operator === 'in' || operator === 'not in') {
    if (isObject(b, 'module') && b.type === 'ModuleDict' && typeof a === 'string') return b.children.has(a) === (operator === 'in');
    if (!isObject(b, 'list') && !isObject(b, 'dict') && typeof b !== 'string') return undefined;
    if (typeof a !== 'number' && typeof a !== 'string' && typeof a !== 'boolean' && a !== null) return undefined;
    let found: boolean;
    if (typeof b === 'string') found = typeof a === 'string' && b.includes(a);
    else if (isObject(b, 'dict')) found = typeof a === 'string' && b.entries.has(a);
    else {
      if (b.items.some((i) => isObject(i, 'unknown'))) return undefined;
      found = b.items.includes(a);
    }
    return operator === 'in' ? found : !found;
  }
  const scalar = (v: Value): v is number | string | boolean | null => v === null || typeof v !== 'object';
  if (!scalar(a) || !scalar(b)) return undefined;
  const x = typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'boolean' ? Number(b) : b;
  switch (operator) {
    case '==':
      return x === y;
    case '!=':
      return x !== y;
  }
  if (typeof x !== typeof y || x === null || y === null) return undefined;
  switch (operator) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
  return undefined;
}

/** Python arithmetic on two numbers: one definition for every evaluator. */
export { arithmetic } from '../../values';

export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Elements of a nested list literal (`torch.tensor([[1, 2], [3, 4]])` → 4). */
export function countElements(value: Value | undefined, level: number): number | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return 1;
  if (!isObject(value, 'list') || level > 32) return undefined;
  let total = 0;
  for (const item of value.items) {
    const n = countElements(item, level + 1);
    if (n === undefined) return undefined;
    total += n;
  }
  return total;
}

/** Library calls whose result may well hold parameters: classes, model factories, hub loads. */
export function modelLike(qualified: string): boolean {
  const last = qualified.split('.').at(-1) ?? '';
  return /^[A-Z]/.test(last) || /(^|\.)(models?|hub|timm|transformers)(\.|$)/.test(qualified) || /create_model|from_pretrained|load/.test(last);
}

