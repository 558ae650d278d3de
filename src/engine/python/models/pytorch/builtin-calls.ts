import type { Node } from 'web-tree-sitter';
import type { Args } from './interpreter';
import { isObject, unknown, type ModuleValue, type Value } from './module-values';
import { LIMITS } from './limits';
import { asNumber, roundHalfEven } from './python-semantics';

/** What the built-ins need from the builder. */
export interface BuiltinContext {
  iterate(value: Value): Value[] | string;
  number(value: Value): Value;
  describe(node: Node): string;
  clone(module: ModuleValue): ModuleValue | undefined;
  getAttribute(object: Value, attr: string, text: string): Value;
  setAttribute(module: ModuleValue, name: string, value: Value, site: Node): void;
}

/**
 * Python built-ins and standard-library calls that model code uses to compute sizes and build
 * containers (`range`, `len`, `int`, `min`, `zip`, `enumerate`, `OrderedDict`, `copy.deepcopy`,
 * `setattr`, `math.ceil` ...), over statically known values. Undefined for any other name.
 */
export function builtinCall(qualified: string, args: Args, node: Node, ctx: BuiltinContext): Value | undefined {
  const [first, second] = args.positional;
  switch (qualified) {
    case 'collections.OrderedDict':
    case 'builtins.dict': {
      const entries = new Map<string, Value>();
      if (isObject(first, 'list')) {
        for (const pair of first.items) {
          if (!isObject(pair, 'list') || pair.items.length !== 2 || typeof pair.items[0] !== 'string') return unknown(ctx.describe(node), true);
          entries.set(pair.items[0], pair.items[1]);
        }
      } else if (isObject(first, 'dict')) for (const [k, v] of first.entries) entries.set(k, v);
      else if (first !== undefined) return unknown(ctx.describe(node), true);
      for (const [k, v] of args.keywords) entries.set(k, v);
      return { kind: 'dict', entries };
    }
    case 'copy.deepcopy':
      if (isObject(first, 'module')) return ctx.clone(first) ?? unknown(ctx.describe(node), true);
      return unknown(ctx.describe(node), true);
    case 'builtins.range': {
      const bounds = args.positional.map(asNumber);
      if (bounds.length === 0 || bounds.length > 3 || bounds.some((b) => b === undefined || !Number.isInteger(b))) return unknown(`range${node.childForFieldName('arguments')?.text ?? ''}`);
      const [start, stop, step] = bounds.length === 1 ? [0, bounds[0]!, 1] : [bounds[0]!, bounds[1]!, bounds[2] ?? 1];
      if (step === 0) return unknown('range step 0');
      const count = Math.max(0, Math.ceil((stop - start) / step));
      if (count > LIMITS.items) return unknown(`range${node.childForFieldName('arguments')?.text ?? ''} (more than ${LIMITS.items.toLocaleString('en-US')} items)`);
      return { kind: 'list', items: Array.from({ length: count }, (_, i) => start + i * step) };
    }
    case 'builtins.len':
      if (isObject(first, 'list')) return first.items.length;
      if (isObject(first, 'dict')) return first.entries.size;
      if (typeof first === 'string') return first.length;
      if (isObject(first, 'module') && ['Sequential', 'ModuleList', 'ModuleDict'].includes(first.type)) return first.children.size;
      return unknown(node.text);
    case 'builtins.int':
    case 'builtins.float':
    case 'builtins.round':
    case 'builtins.abs':
    case 'builtins.bool': {
      const x = typeof first === 'boolean' ? Number(first) : first;
      if (typeof x === 'string' && qualified !== 'builtins.bool' && /^\s*-?\d+(\.\d+)?\s*$/.test(x)) return Number(x);
      if (typeof x !== 'number' || args.positional.length !== 1) return unknown(node.text);
      if (qualified === 'builtins.int') return Math.trunc(x);
      if (qualified === 'builtins.round') return roundHalfEven(x);
      if (qualified === 'builtins.abs') return Math.abs(x);
      if (qualified === 'builtins.bool') return x !== 0;
      return x;
    }
    case 'builtins.min':
    case 'builtins.max':
    case 'builtins.sum': {
      const items = args.positional.length === 1 && isObject(first, 'list') ? first.items : args.positional;
      const numbers = items.map(asNumber);
      if (numbers.some((n) => n === undefined) || (numbers.length === 0 && qualified !== 'builtins.sum')) return unknown(node.text);
      const values = numbers as number[];
      if (qualified === 'builtins.sum') return ctx.number(values.reduce((a, b) => a + b, 0));
      return qualified === 'builtins.min' ? Math.min(...values) : Math.max(...values);
    }
    case 'builtins.list':
    case 'builtins.tuple':
    case 'builtins.reversed': {
      if (first === undefined) return { kind: 'list', items: [] };
      const items = ctx.iterate(first);
      if (!Array.isArray(items)) return unknown(node.text, true);
      return { kind: 'list', items: qualified === 'builtins.reversed' ? [...items].reverse() : [...items] };
    }
    case 'builtins.enumerate': {
      const items = first === undefined ? 'nothing' : ctx.iterate(first);
      if (!Array.isArray(items)) return unknown(node.text, true);
      const start = asNumber(second ?? args.keywords.get('start') ?? 0) ?? 0;
      return { kind: 'list', items: items.map((item, i) => ({ kind: 'list', items: [start + i, item] })) };
    }
    case 'builtins.zip': {
      const lists = args.positional.map((a) => ctx.iterate(a));
      if (lists.length === 0 || lists.some((l) => !Array.isArray(l))) return unknown(node.text, true);
      const arrays = lists as Value[][];
      const length = Math.min(...arrays.map((l) => l.length));
      return { kind: 'list', items: Array.from({ length }, (_, i) => ({ kind: 'list', items: arrays.map((l) => l[i]) })) };
    }
    case 'builtins.str':
      return typeof first === 'number' || typeof first === 'string' ? String(first) : unknown(node.text);
    case 'builtins.setattr': {
      const target = first;
      const name = second;
      const value = args.positional[2];
      if (isObject(target, 'module') && typeof name === 'string' && value !== undefined) {
        ctx.setAttribute(target, name, value, node);
        return null;
      }
      if (isObject(target, 'module')) target.unresolved.push(`${ctx.describe(node)} did not resolve`);
      return null;
    }
    case 'builtins.getattr':
      if (typeof second === 'string' && first !== undefined) return ctx.getAttribute(first, second, node.text);
      return unknown(node.text, true);
    case 'builtins.print':
    case 'builtins.isinstance':
    case 'builtins.hasattr':
      return unknown(node.text);
    case 'math.ceil':
    case 'math.floor':
    case 'math.sqrt':
    case 'math.log2': {
      const x = asNumber(first);
      if (x === undefined) return unknown(node.text);
      const f = { 'math.ceil': Math.ceil, 'math.floor': Math.floor, 'math.sqrt': Math.sqrt, 'math.log2': Math.log2 }[qualified]!;
      return ctx.number(f(x));
    }
  }
  return undefined;
}
