import type { Node } from 'web-tree-sitter';
import type { PythonFile } from './python-file';

export type PyScalar = number | string | boolean | null;

/** A statically known value and, when it did not come from a literal, where it came from. */
export interface Resolved {
  value: PyScalar;
  /** Human description of the source, e.g. "--workers default (line 14)". */
  via?: string;
}

/** Expressions nest; bound the recursion so a 1,000-deep generated expression cannot blow the stack. */
const MAX_DEPTH = 48;

export function evaluate(file: PythonFile, node: Node, depth = 0): Resolved | undefined {
  if (depth > MAX_DEPTH) return undefined;
  switch (node.type) {
    case 'integer':
      return scalar(parseInteger(node.text));
    case 'float':
      return scalar(Number(node.text.replace(/_/g, '').replace(/[jJ]$/, '')));
    case 'true':
      return { value: true };
    case 'false':
      return { value: false };
    case 'none':
      return { value: null };
    case 'string':
      return plainString(node);
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
      return inner ? evaluate(file, inner, depth + 1) : undefined;
    }
    case 'unary_operator':
      return unary(file, node, depth);
    case 'binary_operator':
      return binary(file, node, depth);
    case 'identifier':
      return constant(file, node.text, depth);
    case 'attribute':
      return file.argparse.resolveAttribute(node, depth);
    case 'call':
      return conversion(file, node, depth);
    default:
      return undefined;
  }
}

function scalar(value: number): Resolved | undefined {
  return Number.isFinite(value) ? { value } : undefined;
}

function parseInteger(text: string): number {
  const clean = text.replace(/_/g, '').toLowerCase();
  if (clean.startsWith('0x')) return parseInt(clean.slice(2), 16);
  if (clean.startsWith('0o')) return parseInt(clean.slice(2), 8);
  if (clean.startsWith('0b')) return parseInt(clean.slice(2), 2);
  return Number(clean.replace(/l$/, ''));
}

/** Only plain string literals: no f-strings, no concatenation, no escapes we would have to interpret. */
function plainString(node: Node): Resolved | undefined {
  const parts = node.namedChildren.filter((c): c is Node => c !== null);
  if (parts.some((p) => p.type === 'interpolation' || p.type === 'escape_sequence')) return undefined;
  const start = parts.find((p) => p.type === 'string_start')?.text ?? '';
  if (/[fFbB]/.test(start)) return undefined;
  return { value: parts.filter((p) => p.type === 'string_content').map((p) => p.text).join('') };
}

function constant(file: PythonFile, name: string, depth: number): Resolved | undefined {
  const value = file.constants.get(name);
  if (!value) return undefined;
  const resolved = evaluate(file, value, depth + 1);
  if (!resolved) return undefined;
  return { value: resolved.value, via: resolved.via ?? `${name} (line ${value.startPosition.row + 1})` };
}

function unary(file: PythonFile, node: Node, depth: number): Resolved | undefined {
  const operand = evaluate(file, node.childForFieldName('argument') ?? node.namedChildren[0]!, depth + 1);
  const operator = node.childForFieldName('operator')?.text ?? node.child(0)?.text;
  if (typeof operand?.value !== 'number') return undefined;
  if (operator === '-') return { ...operand, value: -operand.value };
  if (operator === '+') return operand;
  return undefined;
}

function binary(file: PythonFile, node: Node, depth: number): Resolved | undefined {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const operator = node.childForFieldName('operator')?.text;
  if (!left || !right || !operator) return undefined;
  const a = evaluate(file, left, depth + 1);
  const b = a && evaluate(file, right, depth + 1);
  if (typeof a?.value !== 'number' || typeof b?.value !== 'number') return undefined;
  const x = a.value;
  const y = b.value;
  const value = arithmetic(operator, x, y);
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const via = [a.via, b.via].filter(Boolean).join(', ');
  return via ? { value, via } : { value };
}

/** Python arithmetic on two numbers; undefined for division by zero and unknown operators. */
export function arithmetic(operator: string, x: number, y: number): number | undefined {
  switch (operator) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0 ? undefined : x / y;
    case '//':
      return y === 0 ? undefined : Math.floor(x / y);
    case '%':
      return y === 0 ? undefined : x - Math.floor(x / y) * y;
    case '**':
      return x ** y;
    default:
      return undefined;
  }
}

/** `int(x)` and `float(x)` of a resolvable number. */
function conversion(file: PythonFile, node: Node, depth: number): Resolved | undefined {
  const fn = node.childForFieldName('function');
  if (fn?.type !== 'identifier' || (fn.text !== 'int' && fn.text !== 'float')) return undefined;
  const args = file.positionalArguments(node);
  if (args.length !== 1) return undefined;
  const inner = evaluate(file, args[0], depth + 1);
  if (typeof inner?.value !== 'number') return undefined;
  return { ...inner, value: fn.text === 'int' ? Math.trunc(inner.value) : inner.value };
}
