import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import { arithmetic, type Resolved } from '../values';

/** Bound the recursion: a chain of names and dict lookups deeper than this is not worth following. */
const MAX_DEPTH = 24;

/** Parents under which an identifier (re)binds its name some other way than `name = value`. */
const OTHER_BINDINGS = new Set([
  'augmented_assignment',
  'pattern_list',
  'tuple_pattern',
  'list_pattern',
  'list_splat_pattern',
  'dictionary_splat_pattern',
  'for_statement',
  'for_in_clause',
  'as_pattern_target',
  'named_expression',
  'parameters',
  'lambda_parameters',
  'default_parameter',
  'typed_parameter',
  'typed_default_parameter',
  'global_statement',
  'nonlocal_statement',
  'function_definition',
  'class_definition',
  'dotted_name',
  'aliased_import',
]);

const LITERALS = new Set(['integer', 'float', 'string', 'true', 'false', 'none', 'unary_operator']);

const SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);

/**
 * The value of a hyperparameter expression as far as it resolves statically: what `file.evaluate`
 * resolves (literals, module constants, argparse defaults, arithmetic) plus where training scripts keep
 * their settings — a name assigned once in its function or under `if __name__ == "__main__":`
 * (`lr = args.lr * 2`), dict entries (`config["lr"]`, `cfg["optim"]["lr"]`, `cfg.get("lr", 1e-3)`,
 * `dict(lr=0.1)`) and namespace fields (`SimpleNamespace(lr=0.1).lr`, a class or dataclass's defaults).
 * Whatever is rebound, mutated or computed at run time stays `undefined`.
 */
export function resolveValue(file: PythonFile, node: Node | null | undefined, depth = 0): Resolved | undefined {
  if (!node || depth > MAX_DEPTH) return undefined;
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
      return resolveValue(file, inner, depth + 1);
    }
    case 'identifier':
      return resolveName(file, node, depth);
    case 'subscript':
      return resolveSubscript(file, node, depth);
    case 'binary_operator':
      return resolveBinary(file, node, depth);
    case 'unary_operator': {
      const operand = resolveValue(file, node.childForFieldName('argument'), depth + 1);
      const operator = node.childForFieldName('operator')?.text;
      if (typeof operand?.value !== 'number') return undefined;
      if (operator === '-') return { ...operand, value: -operand.value };
      return operator === '+' ? operand : undefined;
    }
    case 'call':
      return resolveGet(file, node, depth) ?? resolveConversion(file, node, depth) ?? file.evaluate(node);
    case 'attribute':
      return file.evaluate(node) ?? resolveField(file, node, depth);
    default:
      return file.evaluate(node);
  }
}

/** `name`: its single binding in the enclosing function, else at module level (constants and `__main__` blocks). */
function resolveName(file: PythonFile, id: Node, depth: number): Resolved | undefined {
  const value = bindingOf(file, id);
  if (!value) return undefined;
  const resolved = resolveValue(file, value, depth + 1);
  if (!resolved) return undefined;
  // `lr = args.lr` passes its source on; `lr = args.lr * 2` also shows the computation.
  const direct = value.type === 'identifier' || value.type === 'attribute' || value.type === 'subscript';
  if (resolved.via && direct) return resolved;
  if (!resolved.via && LITERALS.has(value.type)) return { value: resolved.value, via: `${id.text} (line ${value.startPosition.row + 1})` };
  const binding = `\`${flat(`${id.text} = ${value.text}`)}\` (line ${value.startPosition.row + 1})`;
  return { value: resolved.value, via: resolved.via ? `${binding}, ${resolved.via}` : binding };
}

/**
 * The expression a name is bound to where `id` reads it: the one `name = value` in the innermost
 * function that binds the name, or at module level. Undefined when it is bound in any other way
 * (parameter, loop variable, `+=`, tuple unpacking, `global`) or more than once.
 */
export function bindingOf(file: PythonFile, id: Node): Node | undefined {
  const table = bindingTable(file, id.text);
  const first = scopeOf(id);
  // A name read directly in a class body or a lambda is not followed; methods skip their class's scope, as Python does.
  if (first?.type === 'lambda' || first?.type === 'class_definition') return undefined;
  for (let scope: Node | null = first; ; scope = enclosingFunctionScope(scope)) {
    if (scope?.type === 'lambda') return undefined;
    const entry = table.get(scopeKey(scope));
    if (entry) return entry.other || entry.count > 1 ? undefined : entry.value;
    if (!scope) return undefined;
  }
}

interface ScopeBindings {
  count: number;
  /** Bound some other way than `name = value` (parameter, loop variable, `+=`, unpacking, `global`). */
  other: boolean;
  value?: Node;
}

/**
 * How a name is bound in each scope of the file, computed once per name: every read of a popular
 * name (`x`, `lr`, `config`) would otherwise walk all its occurrences again.
 */
function bindingTable(file: PythonFile, name: string): Map<string, ScopeBindings> {
  const key = `bindings:${name}`;
  const cached = file.memo.get(key) as Map<string, ScopeBindings> | undefined;
  if (cached) return cached;
  const table = new Map<string, ScopeBindings>();
  for (const occurrence of file.identifiersNamed(name)) {
    const kind = bindingKind(occurrence);
    if (kind === 'read') continue;
    const scope = scopeKey(scopeOf(occurrence));
    const entry = table.get(scope) ?? { count: 0, other: false };
    entry.count++;
    if (kind === 'other') entry.other = true;
    else entry.value = occurrence.parent!.childForFieldName('right') ?? undefined;
    table.set(scope, entry);
  }
  file.memo.set(key, table);
  return table;
}

function scopeKey(scope: Node | null): string {
  return scope ? `${scope.startIndex}:${scope.endIndex}` : 'module';
}

function bindingKind(id: Node): 'read' | 'assign' | 'other' {
  const parent = id.parent;
  if (!parent) return 'read';
  if (parent.type === 'assignment') {
    if (!sameNode(parent.childForFieldName('left'), id)) return 'read';
    // `x: float` with no value binds nothing; a chained `a = b = 1` nests assignments and resolves as one.
    return parent.childForFieldName('right') ? 'assign' : 'read';
  }
  if (parent.type === 'keyword_argument' && sameNode(parent.childForFieldName('name'), id)) return 'read';
  if (parent.type === 'attribute' && sameNode(parent.childForFieldName('attribute'), id)) return 'read';
  if (parent.type === 'for_statement' || parent.type === 'for_in_clause') return sameNode(parent.childForFieldName('left'), id) ? 'other' : 'read';
  if (parent.type === 'named_expression') return sameNode(parent.childForFieldName('name'), id) ? 'other' : 'read';
  if (parent.type === 'augmented_assignment') return sameNode(parent.childForFieldName('left'), id) ? 'other' : 'read';
  if (parent.type === 'default_parameter' || parent.type === 'typed_default_parameter') return sameNode(parent.childForFieldName('name'), id) ? 'other' : 'read';
  if (parent.type === 'function_definition' || parent.type === 'class_definition') return sameNode(parent.childForFieldName('name'), id) ? 'other' : 'read';
  return OTHER_BINDINGS.has(parent.type) ? 'other' : 'read';
}

/** The next scope out whose names a function body sees: enclosing functions and the module, never a class. */
function enclosingFunctionScope(scope: Node | null): Node | null {
  let next = scope ? scopeOf(scope) : null;
  while (next?.type === 'class_definition') next = scopeOf(next);
  return next;
}

/** The innermost function, lambda or class around a node; null at module level. */
function scopeOf(node: Node): Node | null {
  for (let p = node.parent; p; p = p.parent) if (SCOPES.has(p.type)) return p;
  return null;
}

function sameNode(a: Node | null | undefined, b: Node | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

function resolveBinary(file: PythonFile, node: Node, depth: number): Resolved | undefined {
  const operator = node.childForFieldName('operator')?.text;
  const a = resolveValue(file, node.childForFieldName('left'), depth + 1);
  const b = a && resolveValue(file, node.childForFieldName('right'), depth + 1);
  if (!operator || typeof a?.value !== 'number' || typeof b?.value !== 'number') return undefined;
  const value = arithmetic(operator, a.value, b.value);
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const via = [...new Set([a.via, b.via].filter(Boolean))].join(', ');
  return via ? { value, via } : { value };
}

/** `float(x)` / `int(x)` of something only this module resolves (a dict entry, a local name). */
function resolveConversion(file: PythonFile, call: Node, depth: number): Resolved | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'identifier' || (fn.text !== 'float' && fn.text !== 'int') || file.imports.has(fn.text)) return undefined;
  const args = file.positionalArguments(call);
  if (args.length !== 1) return undefined;
  const inner = resolveValue(file, args[0], depth + 1);
  if (typeof inner?.value !== 'number' && typeof inner?.value !== 'string') return undefined;
  const number = Number(inner.value);
  if (!Number.isFinite(number) || (typeof inner.value === 'string' && inner.value.trim() === '')) return undefined;
  return { ...inner, value: fn.text === 'int' ? Math.trunc(number) : number };
}

/** `config["lr"]`, `cfg["optim"]["lr"]`. */
function resolveSubscript(file: PythonFile, node: Node, depth: number): Resolved | undefined {
  const key = resolveValue(file, node.childForFieldName('subscript'), depth + 1)?.value;
  if (typeof key !== 'string') return undefined;
  const container = dictionaryOf(file, node.childForFieldName('value'), depth + 1);
  if (!container) return undefined;
  const entry = entryOf(file, container, key);
  if (!entry || entry === 'unknown') return undefined;
  return describedEntry(file, node, entry, depth);
}

/** `cfg.get("lr", 1e-3)`: the entry when the dict has it, the default when it visibly does not. */
function resolveGet(file: PythonFile, call: Node, depth: number): Resolved | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'get') return undefined;
  const args = file.positionalArguments(call);
  const key = resolveValue(file, args[0], depth + 1)?.value;
  if (typeof key !== 'string' || args.length > 2) return undefined;
  const container = dictionaryOf(file, fn.childForFieldName('object'), depth + 1);
  if (!container) return undefined;
  const entry = entryOf(file, container, key);
  if (entry === 'unknown') return undefined;
  if (entry) return describedEntry(file, call, entry, depth);
  if (args.length < 2) return undefined;
  const fallback = resolveValue(file, args[1], depth + 1);
  return fallback && { value: fallback.value, via: fallback.via ?? `the default of ${flat(call.text)} (line ${call.startPosition.row + 1})` };
}

function describedEntry(file: PythonFile, use: Node, entry: Node, depth: number): Resolved | undefined {
  const resolved = resolveValue(file, entry, depth + 1);
  if (!resolved) return undefined;
  return { value: resolved.value, via: resolved.via ?? `${flat(use.text)} (line ${entry.startPosition.row + 1})` };
}

/**
 * The dict literal (or `dict(...)` call) an expression stands for, when it is bound once and never
 * written to (`cfg["lr"] = …`, `cfg.update(…)`, `cfg |= …`).
 */
function dictionaryOf(file: PythonFile, node: Node | null, depth: number): Node | undefined {
  if (!node || depth > MAX_DEPTH) return undefined;
  if (node.type === 'dictionary' || isDictCall(file, node)) return node;
  if (node.type === 'parenthesized_expression') return dictionaryOf(file, node.namedChildren.find((c) => c !== null) ?? null, depth + 1);
  if (node.type === 'identifier') {
    const value = bindingOf(file, node);
    if (!value || mutated(file, node.text)) return undefined;
    return dictionaryOf(file, value, depth + 1);
  }
  if (node.type === 'subscript') {
    const key = resolveValue(file, node.childForFieldName('subscript'), depth + 1)?.value;
    const outer = typeof key === 'string' ? dictionaryOf(file, node.childForFieldName('value'), depth + 1) : undefined;
    const entry = outer && entryOf(file, outer, key as string);
    return entry && entry !== 'unknown' ? dictionaryOf(file, entry, depth + 1) : undefined;
  }
  return undefined;
}

function isDictCall(file: PythonFile, node: Node): boolean {
  const fn = node.type === 'call' ? node.childForFieldName('function') : null;
  return fn?.type === 'identifier' && fn.text === 'dict' && !file.imports.has('dict');
}

/** The value node under `key`; 'unknown' when a `**spread` or positional argument may hold it. */
function entryOf(file: PythonFile, container: Node, key: string): Node | 'unknown' | undefined {
  let found: Node | 'unknown' | undefined;
  if (container.type === 'dictionary') {
    for (const item of container.namedChildren) {
      if (!item) continue;
      if (item.type === 'dictionary_splat') found = 'unknown';
      if (item.type !== 'pair') continue;
      if (file.evaluate(item.childForFieldName('key'))?.value === key) found = item.childForFieldName('value') ?? 'unknown';
    }
    return found;
  }
  if (file.positionalArguments(container).length > 0 || file.hasSplat(container)) return 'unknown';
  return file.keywordArgument(container, key);
}

/** Whether a dict or namespace bound to `name` is written to anywhere in the file. */
function mutated(file: PythonFile, name: string): boolean {
  const key = `mutated:${name}`;
  const cached = file.memo.get(key);
  if (typeof cached === 'boolean') return cached;
  const result = findMutation(file, name);
  file.memo.set(key, result);
  return result;
}

function findMutation(file: PythonFile, name: string): boolean {
  for (const id of file.identifiersNamed(name)) {
    const parent = id.parent;
    if (!parent) continue;
    if (parent.type === 'augmented_assignment' && sameNode(parent.childForFieldName('left'), id)) return true;
    const outer = parent.parent;
    if ((parent.type === 'subscript' || parent.type === 'attribute') && sameNode(parent.childForFieldName(parent.type === 'subscript' ? 'value' : 'object'), id)) {
      if ((outer?.type === 'assignment' || outer?.type === 'augmented_assignment') && sameNode(outer.childForFieldName('left'), parent)) return true;
      if (outer?.type === 'delete_statement') return true;
      if (parent.type === 'attribute' && /^(update|setdefault|pop|popitem|clear|__setitem__)$/.test(parent.childForFieldName('attribute')?.text ?? '')) return true;
    }
    // `setattr(cfg, "lr", …)`
    if (parent.type === 'argument_list' && parent.parent?.childForFieldName('function')?.text === 'setattr') return true;
  }
  return false;
}

const NAMESPACE_FACTORIES = /^(types\.SimpleNamespace|argparse\.Namespace|easydict\.EasyDict|ml_collections\.ConfigDict|addict\.Dict)$/;

/**
 * `cfg.lr` where `cfg = SimpleNamespace(lr=0.1)` (or `EasyDict({"lr": 0.1})`), where `cfg = Config()`
 * of a class in this file whose body sets `lr = 0.1` (plain class or dataclass default), or `Config.lr`.
 */
function resolveField(file: PythonFile, node: Node, depth: number): Resolved | undefined {
  const object = node.childForFieldName('object');
  const field = node.childForFieldName('attribute')?.text;
  if (object?.type !== 'identifier' || !field || mutated(file, object.text)) return undefined;
  const klass = classNamed(file, object.text);
  if (klass) return classField(file, klass, field, node, depth);
  const value = bindingOf(file, object);
  if (value?.type !== 'call') return undefined;
  const callee = value.childForFieldName('function');
  const factory = file.calleeName(value);
  if (factory && NAMESPACE_FACTORIES.test(factory)) {
    const args = file.positionalArguments(value);
    let entry: Node | 'unknown' | undefined;
    if (args.length === 1 && !file.hasSplat(value)) {
      const container = dictionaryOf(file, args[0], depth + 1);
      entry = container ? entryOf(file, container, field) : 'unknown';
    } else entry = entryOf(file, value, field);
    if (!entry || entry === 'unknown') return undefined;
    return describedEntry(file, node, entry, depth);
  }
  // An instance of a class defined here, built without arguments: its defaults hold.
  const own = callee?.type === 'identifier' && !file.imports.has(callee.text) ? classNamed(file, callee.text) : undefined;
  if (!own || argumentCount(value) > 0) return undefined;
  return classField(file, own, field, node, depth);
}

function argumentCount(call: Node): number {
  return call.childForFieldName('arguments')?.namedChildren.filter((c) => c !== null && c.type !== 'comment').length ?? 0;
}

/** A module-level class of that name, defined once. */
function classNamed(file: PythonFile, name: string): Node | undefined {
  const classes = file.statements
    .map((s) => (s.type === 'decorated_definition' ? s.childForFieldName('definition') : s))
    .filter((s): s is Node => s?.type === 'class_definition' && s.childForFieldName('name')?.text === name);
  return classes.length === 1 ? classes[0] : undefined;
}

/** `lr = 0.1` or `lr: float = 0.1` directly in the class body, assigned there once; no `__init__`/`__post_init__` may touch it. */
function classField(file: PythonFile, klass: Node, field: string, use: Node, depth: number): Resolved | undefined {
  const body = klass.childForFieldName('body');
  if (!body) return undefined;
  let value: Node | undefined;
  let count = 0;
  for (const statement of body.namedChildren) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    if (assignment?.type !== 'assignment') continue;
    if (assignment.childForFieldName('left')?.text !== field) continue;
    count++;
    value = assignment.childForFieldName('right') ?? undefined;
  }
  // A class that computes its fields in code (`__init__`, `__post_init__`, properties) is not read here.
  if (count !== 1 || !value || body.text.includes(`self.${field}`)) return undefined;
  if (value.type === 'call' && /(^|\.)field$/.test(file.calleeName(value) ?? value.childForFieldName('function')?.text ?? '')) {
    const fallback = file.keywordArgument(value, 'default');
    if (!fallback) return undefined;
    value = fallback;
  }
  const resolved = resolveValue(file, value, depth + 1);
  if (!resolved) return undefined;
  return { value: resolved.value, via: resolved.via ?? `${flat(use.text)} (line ${value.startPosition.row + 1})` };
}

function flat(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 39)}…` : one;
}
