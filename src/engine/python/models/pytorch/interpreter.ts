import type { Node } from 'web-tree-sitter';
import { isLibraryModule, moduleCandidates } from '../../module-resolver';
import { PythonFile } from '../../python-file';
import { buildLayer, isBuiltinLayer, type LayerContext } from './layer-parameters';
import {
  cloneModule,
  Ids,
  isObject,
  newModule,
  newTensor,
  treeSize,
  unknown,
  type ClassValue,
  type FunctionValue,
  type ModuleValue,
  type Value,
} from './module-values';

/**
 * A small abstract interpreter for the code that builds a PyTorch model: a module's `__init__`, the
 * helper methods it calls (`_make_layer`), list comprehensions, loops over `range(N)`, constructor
 * arguments with defaults. It only ever *reads* the script: nothing runs, every loop, list, call
 * depth and step is bounded, and whatever does not resolve becomes an `unknown` that the count
 * reports as "not counted" rather than a guess.
 */

/** Limits for one model build. */
export const LIMITS = {
  /** Statements and expressions evaluated, in all: a large model's `__init__` takes a few thousand. */
  steps: 200_000,
  /** Nested calls and instantiations (a class that builds itself ends here). */
  depth: 32,
  /** Items of one list or `range(...)` that are expanded; larger ones do not resolve. */
  items: 10_000,
  /** Modules and tensors created by deep copies (`TransformerEncoder(layer, N)`). */
  cloned: 200_000,
  /** Nesting of one expression. */
  expressionDepth: 64,
  /** Largest number kept exact (well inside 2^53). */
  magnitude: 1e15,
};

export class BudgetExceeded extends Error {}

class Flow {
  constructor(readonly kind: 'return' | 'break' | 'continue', readonly value: Value = null) {}
}

export interface Frame {
  locals: Map<string, Value>;
  self?: ModuleValue;
  /** The class whose method runs (for `super()`). */
  owner?: ClassValue;
  /** Where notes go when there is no `self` (a construction outside any module). */
  notes: string[];
  /** Names a `global` statement in this function binds at module level. */
  globalNames?: Set<string>;
}

const LIGHTNING_BASES = new Set([
  'lightning.LightningModule',
  'lightning.pytorch.LightningModule',
  'pytorch_lightning.LightningModule',
  'pytorch_lightning.core.LightningModule',
]);
const BUILTIN_NAMES = new Set(['range', 'len', 'int', 'float', 'min', 'max', 'list', 'tuple', 'sum', 'abs', 'bool', 'str', 'enumerate', 'zip', 'reversed', 'dict', 'round', 'super', 'print', 'isinstance', 'getattr', 'setattr', 'hasattr']);
const TENSOR_FACTORIES = new Set(['zeros', 'ones', 'randn', 'rand', 'empty', 'full', 'Tensor', 'FloatTensor', 'eye', 'tensor', 'zeros_like', 'ones_like', 'randn_like']);
/** Methods that change a list or dict in place. */
const MUTATORS = new Set(['append', 'extend', 'insert', 'pop', 'remove', 'clear', 'update', 'setdefault', 'reverse', 'sort']);
/** Module methods that return the module itself. */
const FLUENT = new Set(['to', 'cuda', 'cpu', 'float', 'double', 'half', 'bfloat16', 'train', 'eval', 'requires_grad_', 'type', 'share_memory', 'apply', 'zero_grad']);

/** Names of a module's torch.nn class from a dotted name: `torch.nn.modules.conv.Conv2d` → `Conv2d`. */
export function torchNnClass(qualified: string): string | undefined {
  if (!qualified.startsWith('torch.nn.')) return undefined;
  const rest = qualified.slice('torch.nn.'.length);
  if (rest.startsWith('functional') || rest.startsWith('init') || rest.startsWith('utils')) return undefined;
  const last = rest.split('.').at(-1)!;
  return /^[A-Z]/.test(last) ? last : undefined;
}

/** Workspace modules one model may pull in through imports. */
const MAX_IMPORTED_MODULES = 16;

/**
 * What all the builders of one estimate share: identities, the step budget, where values came from,
 * and the workspace modules parsed for it (their trees are freed by `dispose`).
 */
export class BuildRun {
  readonly ids = new Ids();
  readonly vias = new Set<string>();
  steps = 0;
  cloned = 0;
  private readonly modules = new Map<string, ModelBuilder | undefined>();
  private readonly trees: Array<{ delete(): void }> = [];
  private reexports = 0;
  /** The script the estimate is for: every module read is one of its dependencies. */
  private root?: PythonFile;

  /** The builder of the workspace module `module` as imported from `from`, parsed once per run. */
  module(from: PythonFile, module: string): ModelBuilder | undefined {
    const { workspace } = from;
    for (const candidate of moduleCandidates(module, from.path, workspace.roots)) {
      if (this.modules.has(candidate)) return this.modules.get(candidate);
      const text = workspace.reader.read(candidate);
      if (text === undefined) continue;
      this.root ??= from;
      from.dependencies.add(candidate);
      this.root.dependencies.add(candidate);
      if (this.modules.size >= MAX_IMPORTED_MODULES) return undefined;
      this.modules.set(candidate, undefined); // import cycles end here
      const tree = workspace.parser.parse(text);
      this.trees.push(tree);
      const builder = new ModelBuilder(new PythonFile(candidate, text, tree, workspace), this);
      this.modules.set(candidate, builder);
      return builder;
    }
    return undefined;
  }

  depthOk(): boolean {
    return ++this.reexports < 32;
  }

  dispose(): void {
    for (const tree of this.trees.splice(0)) tree.delete();
  }
}

export class ModelBuilder {
  private readonly run_: BuildRun;
  private readonly classes = new Map<string, ClassValue>();
  private readonly functions = new Map<string, Node>();
  private readonly moduleClassMemo = new Map<Node, boolean>();
  private readonly evaluatingConstants = new Set<string>();
  /** Module-level names as the statements before a module-level construction left them. */
  private readonly globals = new Map<string, Value>();
  private readonly mutatedMemo = new Map<string, boolean>();
  private readonly bases = new Map<number, Value | undefined>();
  readonly layerContext: LayerContext;

  constructor(
    readonly file: PythonFile,
    run?: BuildRun,
  ) {
    this.run_ = run ?? new BuildRun();
    const seen = new Map<string, number>();
    for (const statement of file.statements) {
      const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
      const name = definition?.childForFieldName('name')?.text;
      if (!definition || !name) continue;
      if (definition.type === 'class_definition') this.classes.set(name, { kind: 'class', name, node: definition, builder: this });
      if (definition.type === 'function_definition') this.functions.set(name, definition);
      seen.set(name, (seen.get(name) ?? 0) + 1);
    }
    // A name defined twice may mean either definition where it is used: neither is taken.
    for (const [name, count] of seen) {
      if (count < 2) continue;
      this.classes.delete(name);
      this.functions.delete(name);
    }
    this.layerContext = { ids: this.ids, clone: (module, copies) => this.clone(module, copies) };
  }

  get ids(): Ids {
    return this.run_.ids;
  }

  /** Where argument values came from ("--hidden default (line 12)"). */
  get vias(): Set<string> {
    return this.run_.vias;
  }

  classNamed(name: string): ClassValue | undefined {
    return this.classes.get(name);
  }

  /** A top-level function defined in the file. */
  functionNamed(name: string): Node | undefined {
    return this.functions.get(name);
  }

  /**
   * `from models import Net`: the class or function from a workspace module, read with the module
   * resolver and interpreted by a builder of that file sharing this run's budget and identities.
   */
  private imported(qualified: string): Value | undefined {
    if (isLibraryModule(qualified) || qualified.includes('()')) return undefined;
    const dot = qualified.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const [module, name] = [qualified.slice(0, dot), qualified.slice(dot + 1)];
    const builder = this.run_.module(this.file, module);
    if (!builder) return undefined;
    const cls = builder.classNamed(name);
    if (cls) return cls;
    const fn = builder.functionNamed(name);
    if (fn) return { kind: 'function', name, node: fn, builder };
    // Re-exported by a package's __init__.py: `from .model import Net`.
    const binding = builder.file.imports.get(name);
    return binding && this.run_.depthOk() ? builder.imported(binding.qualified) : undefined;
  }

  /** True for classes that derive (through classes of this file) from `nn.Module` or a torch.nn class. */
  isModuleClass(cls: ClassValue, depth = 0): boolean {
    const memo = this.moduleClassMemo.get(cls.node);
    if (memo !== undefined) return memo;
    this.moduleClassMemo.set(cls.node, false); // a class deriving from itself is not a module
    const base = depth < 16 ? this.baseOf(cls) : undefined;
    let result = false;
    if (isObject(base, 'ref')) result = base.qualified === 'torch.nn.Module' || LIGHTNING_BASES.has(base.qualified) || torchNnClass(base.qualified) !== undefined;
    else if (isObject(base, 'class')) result = (base.builder ?? this).isModuleClass(base, depth + 1);
    this.moduleClassMemo.set(cls.node, result);
    return result;
  }

  /** The first base class, as a value (single inheritance is what model code uses). */
  baseOf(cls: ClassValue): Value | undefined {
    if (this.bases.has(cls.node.id)) return this.bases.get(cls.node.id);
    this.bases.set(cls.node.id, undefined); // `class A(A)` ends here
    const first = cls.node.childForFieldName('superclasses')?.namedChildren.find((n) => n !== null && n.type !== 'keyword_argument' && n.type !== 'comment');
    const base = first ? this.evaluate(first, this.moduleFrame([]), 0) : undefined;
    this.bases.set(cls.node.id, base);
    return base;
  }

  moduleFrame(notes: string[]): Frame {
    return { locals: new Map(), notes };
  }

  private tick(): void {
    if (++this.run_.steps > LIMITS.steps) throw new BudgetExceeded('step budget exceeded');
  }

  private clone(module: ModuleValue, copies: number): ModuleValue[] | undefined {
    const size = treeSize(module);
    if (copies > LIMITS.items || this.run_.cloned + size * copies > LIMITS.cloned) return undefined;
    this.run_.cloned += size * copies;
    return Array.from({ length: copies }, () => cloneModule(this.ids, module));
  }

  private note(frame: Frame, text: string): void {
    const notes = frame.self ? frame.self.unresolved : frame.notes;
    if (!notes.includes(text)) notes.push(text);
  }

  // ---------------------------------------------------------------- expressions

  evaluate(node: Node, frame: Frame, depth: number): Value {
    this.tick();
    if (depth > LIMITS.expressionDepth) return unknown('an expression nested too deeply');
    switch (node.type) {
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none': {
        const resolved = this.file.evaluate(node);
        return resolved ? this.number(resolved.value) : unknown(node.text);
      }
      case 'string':
        return this.string(node, frame, depth);
      case 'concatenated_string': {
        let text = '';
        for (const part of named(node)) {
          const value = this.string(part, frame, depth);
          if (typeof value !== 'string') return value;
          text += value;
        }
        return text;
      }
      case 'parenthesized_expression': {
        const inner = named(node).find((c) => c.type !== 'comment');
        return inner ? this.evaluate(inner, frame, depth + 1) : unknown(node.text);
      }
      case 'identifier':
        return this.name(node.text, frame, depth);
      case 'attribute':
        return this.attribute(node, frame, depth);
      case 'call':
        return this.call(node, frame, depth);
      case 'list':
      case 'tuple':
      case 'expression_list':
        return this.sequence(node, frame, depth);
      case 'list_comprehension':
      case 'generator_expression':
        return this.comprehension(node, frame, depth);
      case 'dictionary':
        return this.dictionary(node, frame, depth);
      case 'unary_operator':
        return this.unary(node, frame, depth);
      case 'binary_operator':
        return this.binary(node, frame, depth);
      case 'not_operator': {
        const truth = truthy(this.evaluate(node.childForFieldName('argument')!, frame, depth + 1));
        return truth === undefined ? unknown(node.text) : !truth;
      }
      case 'boolean_operator':
        return this.booleanOperator(node, frame, depth);
      case 'comparison_operator':
        return this.comparison(node, frame, depth);
      case 'conditional_expression': {
        const [body, condition, alternative] = named(node);
        const truth = condition ? truthy(this.evaluate(condition, frame, depth + 1)) : undefined;
        if (truth === undefined || !body || !alternative) return unknown(`${node.text}`, true);
        return this.evaluate(truth ? body : alternative, frame, depth + 1);
      }
      case 'subscript':
        return this.subscript(node, frame, depth);
      default:
        return unknown(node.text, true);
    }
  }

  /** Numbers beyond 1e15 are not kept: a count built from them would not be exact. */
  private number(value: Value): Value {
    if (typeof value === 'number' && (!Number.isFinite(value) || Math.abs(value) > LIMITS.magnitude)) return unknown('a number too large to count exactly');
    return value;
  }

  /** Plain strings and f-strings whose fields resolve (`f"layer{i}"`). */
  private string(node: Node, frame: Frame, depth: number): Value {
    const parts = named(node);
    const start = parts.find((p) => p.type === 'string_start')?.text ?? '';
    if (/[bB]/.test(start) || parts.some((p) => p.type === 'escape_sequence')) return unknown(node.text);
    let text = '';
    for (const part of parts) {
      if (part.type === 'string_content') text += part.text;
      else if (part.type === 'interpolation') {
        const expression = part.childForFieldName('expression');
        if (!expression || named(part).some((c) => c.type === 'format_specifier' || c.type === 'type_conversion')) return unknown(node.text);
        const value = this.evaluate(expression, frame, depth + 1);
        if (typeof value !== 'number' && typeof value !== 'string') return unknown(node.text);
        text += String(value);
      }
    }
    return text;
  }

  private name(name: string, frame: Frame, depth: number): Value {
    const local = frame.globalNames?.has(name) ? undefined : frame.locals.get(name);
    if (local !== undefined) return local;
    const global = this.globals.get(name);
    if (global !== undefined) return global;
    const cls = this.classes.get(name);
    if (cls) return cls;
    const fn = this.functions.get(name);
    if (fn) return { kind: 'function', name, node: fn, builder: this };
    const binding = this.file.imports.get(name);
    if (binding) return this.imported(binding.qualified) ?? { kind: 'ref', qualified: binding.qualified };
    const constant = this.file.constants.get(name);
    if (constant && !this.evaluatingConstants.has(name) && !this.mutated(name)) {
      this.evaluatingConstants.add(name);
      try {
        const value = this.evaluate(constant, this.moduleFrame(frame.notes), depth + 1);
        if (typeof value === 'number' || typeof value === 'boolean') this.vias.add(`${name} = ${value} (line ${constant.startPosition.row + 1})`);
        return value;
      } finally {
        this.evaluatingConstants.delete(name);
      }
    }
    if (BUILTIN_NAMES.has(name)) return { kind: 'ref', qualified: `builtins.${name}` };
    return unknown(name, true);
  }

  /**
   * Runs the statements that come before `target` in `scope` (a module or function body), entering
   * the blocks that contain it, so that `layers = []; for h in sizes: layers.append(...)` is seen as
   * the script leaves it. What does not resolve there is simply unknown afterwards.
   */
  runPrefix(target: Node, scope: Node, frame: Frame, moduleLevel: boolean): void {
    const path: Node[] = [];
    for (let n: Node | null = target; n && n.id !== scope.id; n = n.parent) path.unshift(n);
    let block = scope;
    const sink: Frame = { ...frame, notes: [] };
    if (moduleLevel) sink.locals = this.globals;
    for (const step of path) {
      if (block.type === 'block' || block.type === 'module') {
        for (const statement of named(block)) {
          if (statement.id === step.id) break;
          if (['function_definition', 'class_definition', 'decorated_definition', 'import_statement', 'import_from_statement'].includes(statement.type)) continue;
          try {
            this.statement(statement, sink, 1);
          } catch (flow) {
            if (!(flow instanceof Flow)) throw flow;
          }
        }
      }
      block = step;
    }
    if (moduleLevel) for (const [k, v] of this.globals) frame.locals.set(k, v);
    else for (const [k, v] of sink.locals) frame.locals.set(k, v);
  }

  /** A module-level name changed after its one assignment (`layers.append(...)`, `x += 1`): not a constant. */
  private mutated(name: string): boolean {
    let result = this.mutatedMemo.get(name);
    if (result === undefined) {
      result = this.file.identifiersNamed(name).some((id) => {
        const up = id.parent;
        if (up?.type === 'augmented_assignment' && up.childForFieldName('left')?.id === id.id) return true;
        if (up?.type === 'subscript' && up.parent?.type === 'assignment' && up.parent.childForFieldName('left')?.id === up.id) return true;
        if (up?.type === 'for_statement' && up.childForFieldName('left')?.id === id.id) return true;
        if (up?.type === 'global_statement') return true; // rebound inside a function
        return up?.type === 'attribute' && up.childForFieldName('object')?.id === id.id && up.parent?.type === 'call' && MUTATORS.has(up.childForFieldName('attribute')?.text ?? '');
      });
      this.mutatedMemo.set(name, result);
    }
    return result;
  }

  private attribute(node: Node, frame: Frame, depth: number): Value {
    const objectNode = node.childForFieldName('object')!;
    const attr = node.childForFieldName('attribute')?.text ?? '';
    // `args.hidden`: argparse defaults, with where they came from.
    if (objectNode.type === 'identifier' && !isKnown(frame.locals.get(objectNode.text) ?? this.globals.get(objectNode.text)) && this.file.argparse.namespaces.has(objectNode.text)) {
      const resolved = this.file.evaluate(node);
      if (!resolved) {
        // List defaults (`nargs="+", default=[512, 256]`) are not scalars: evaluate them here.
        const option = this.file.argparse.options.get(attr);
        if (!option?.defaultNode || option.action) return unknown(node.text);
        const value = this.evaluate(option.defaultNode, this.moduleFrame([]), depth + 1);
        if (!isObject(value, 'unknown')) this.vias.add(`${node.text} from ${option.flags.find((f) => f.startsWith('--')) ?? attr} default (line ${option.call.startPosition.row + 1})`);
        return value;
      }
      if (resolved.via) this.vias.add(`${node.text} = ${String(resolved.value)} from ${resolved.via}`);
      return this.number(resolved.value);
    }
    const object = this.evaluate(objectNode, frame, depth + 1);
    return this.getAttribute(object, attr, node.text);
  }

  getAttribute(object: Value, attr: string, text: string): Value {
    if (isObject(object, 'ref')) return { kind: 'ref', qualified: `${object.qualified}.${attr}` };
    if (isObject(object, 'module')) {
      const found = object.params.get(attr) ?? object.children.get(attr) ?? object.attrs.get(attr);
      if (found !== undefined) return found;
      if (object.layer && attr in object.layer.args) return object.layer.args[attr];
      if (object.classNode) {
        const owner = object.builder ?? this;
        const member = owner.classMember({ kind: 'class', name: object.type, node: object.classNode, builder: owner }, attr, 0);
        if (isObject(member, 'function')) return { ...member, self: object };
        if (member !== undefined) return member;
      }
      return unknown(text, true);
    }
    if (isObject(object, 'class')) return (object.builder ?? this).classMember(object, attr, 0) ?? unknown(text, true);
    if (isObject(object, 'dict') && ['items', 'keys', 'values'].includes(attr)) return { kind: 'ref', qualified: `dict.${attr}` };
    return unknown(text, true);
  }

  /** A class attribute or method, looked up through the file's base classes. */
  classMember(cls: ClassValue, attr: string, level: number): Value | undefined {
    if (level > 16) return undefined;
    for (const statement of named(cls.node.childForFieldName('body'))) {
      const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
      if (definition?.type === 'function_definition' && definition.childForFieldName('name')?.text === attr) {
        return { kind: 'function', name: attr, node: definition, owner: cls, builder: this };
      }
      if (statement.type === 'expression_statement') {
        const assignment = named(statement)[0];
        if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.text === attr) {
          const right = assignment.childForFieldName('right');
          return right ? this.evaluate(right, this.moduleFrame([]), 1) : undefined;
        }
      }
    }
    const base = this.baseOf(cls);
    return isObject(base, 'class') ? (base.builder ?? this).classMember(base, attr, level + 1) : undefined;
  }

  private sequence(node: Node, frame: Frame, depth: number): Value {
    const items: Value[] = [];
    for (const child of named(node)) {
      if (child.type === 'comment') continue;
      if (child.type === 'list_splat') {
        const inner = this.iterate(this.evaluate(named(child)[0]!, frame, depth + 1));
        if (!Array.isArray(inner)) return unknown(`${child.text}: ${inner}`, true);
        items.push(...inner);
      } else items.push(this.evaluate(child, frame, depth + 1));
      if (items.length > LIMITS.items) return unknown(`a list of more than ${LIMITS.items.toLocaleString('en-US')} items`, true);
    }
    return { kind: 'list', items };
  }

  private dictionary(node: Node, frame: Frame, depth: number): Value {
    const entries = new Map<string, Value>();
    for (const pair of named(node)) {
      if (pair.type !== 'pair') return unknown(node.text, true);
      const key = this.evaluate(pair.childForFieldName('key')!, frame, depth + 1);
      if (typeof key !== 'string') return unknown(node.text, true);
      entries.set(key, this.evaluate(pair.childForFieldName('value')!, frame, depth + 1));
    }
    return { kind: 'dict', entries };
  }

  /** `[Block(c) for c in channels]`, `(nn.Linear(d, d) for _ in range(n) if ...)`: one `for` clause. */
  private comprehension(node: Node, frame: Frame, depth: number): Value {
    const body = node.childForFieldName('body');
    const clauses = named(node).filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
    if (!body || clauses.length === 0 || clauses[0].type !== 'for_in_clause' || clauses.filter((c) => c.type === 'for_in_clause').length > 1) {
      return unknown(node.text, true);
    }
    const [loop, ...filters] = clauses;
    const iterable = this.iterate(this.evaluate(loop.childForFieldName('right')!, frame, depth + 1));
    if (!Array.isArray(iterable)) return unknown(`${loop.childForFieldName('right')!.text}: ${iterable}`, true);
    const items: Value[] = [];
    const inner: Frame = { ...frame, locals: new Map(frame.locals) };
    for (const item of iterable) {
      this.bindTarget(loop.childForFieldName('left')!, item, inner, depth);
      let keep = true;
      for (const filter of filters) {
        const truth = truthy(this.evaluate(named(filter)[0]!, inner, depth + 1));
        if (truth === undefined) return unknown(filter.text, true);
        keep &&= truth;
      }
      if (keep) items.push(this.evaluate(body, inner, depth + 1));
    }
    return { kind: 'list', items };
  }

  /** The items a `for` walks over, or why it does not resolve. */
  private iterate(value: Value): Value[] | string {
    if (isObject(value, 'list')) return value.items;
    if (isObject(value, 'dict')) return [...value.entries.keys()];
    if (isObject(value, 'module') && ['Sequential', 'ModuleList'].includes(value.type)) return [...value.children.values()];
    if (typeof value === 'string') return [...value];
    return isObject(value, 'unknown') ? `${value.why} did not resolve` : 'not a list';
  }

  private unary(node: Node, frame: Frame, depth: number): Value {
    const operand = this.evaluate(node.childForFieldName('argument')!, frame, depth + 1);
    const operator = node.childForFieldName('operator')?.text;
    if (typeof operand !== 'number') return unknown(node.text);
    if (operator === '-') return -operand;
    if (operator === '+') return operand;
    return unknown(node.text);
  }

  private binary(node: Node, frame: Frame, depth: number): Value {
    const operator = node.childForFieldName('operator')?.text ?? '';
    const left = this.evaluate(node.childForFieldName('left')!, frame, depth + 1);
    const right = this.evaluate(node.childForFieldName('right')!, frame, depth + 1);
    const x = asNumber(left);
    const y = asNumber(right);
    if (x !== undefined && y !== undefined) {
      const value = arithmetic(operator, x, y);
      return value === undefined ? unknown(node.text) : this.number(value);
    }
    if (operator === '+' && isObject(left, 'list') && isObject(right, 'list')) {
      const items = [...left.items, ...right.items];
      return items.length > LIMITS.items ? unknown(node.text, true) : { kind: 'list', items };
    }
    if (operator === '+' && typeof left === 'string' && typeof right === 'string') return left + right;
    // `[block] * n` repeats the same object: shared modules, counted once.
    const list = isObject(left, 'list') ? left : isObject(right, 'list') ? right : undefined;
    const times = typeof left === 'number' ? left : typeof right === 'number' ? right : undefined;
    if (operator === '*' && list && times !== undefined && Number.isInteger(times)) {
      if (list.items.length * Math.max(times, 0) > LIMITS.items) return unknown(node.text, true);
      return { kind: 'list', items: Array.from({ length: Math.max(times, 0) }, () => list.items).flat() };
    }
    // `torch.randn(1, n) * 0.02`: same shape, a new tensor.
    const tensor = isObject(left, 'tensor') ? left : isObject(right, 'tensor') ? right : undefined;
    if (tensor && ['*', '+', '-', '/'].includes(operator)) return newTensor(this.ids, tensor.numel, false);
    return unknown(node.text, isObject(left, 'unknown') || isObject(right, 'unknown'));
  }

  private booleanOperator(node: Node, frame: Frame, depth: number): Value {
    const operator = node.childForFieldName('operator')?.text;
    const left = this.evaluate(node.childForFieldName('left')!, frame, depth + 1);
    const truth = truthy(left);
    if (truth === undefined) return unknown(node.text, true);
    if (operator === 'and' ? !truth : truth) return left;
    return this.evaluate(node.childForFieldName('right')!, frame, depth + 1);
  }

  private comparison(node: Node, frame: Frame, depth: number): Value {
    const operands: Node[] = [];
    const operators: string[] = [];
    let pending: string[] = [];
    for (const child of node.children) {
      if (!child) continue;
      if (child.isNamed && child.type !== 'comment') {
        if (operands.length) operators.push(pending.join(' '));
        pending = [];
        operands.push(child);
      } else if (!child.isNamed) pending.push(child.type);
    }
    let left = this.evaluate(operands[0], frame, depth + 1);
    for (let i = 1; i < operands.length; i++) {
      const right = this.evaluate(operands[i], frame, depth + 1);
      const result = compare(operators[i - 1], left, right);
      if (result === undefined) return unknown(node.text);
      if (!result) return false;
      left = right;
    }
    return true;
  }

  private subscript(node: Node, frame: Frame, depth: number): Value {
    const value = this.evaluate(node.childForFieldName('value')!, frame, depth + 1);
    const indexes = node.childrenForFieldName('subscript').filter((n): n is Node => n !== null);
    if (indexes.length !== 1) return unknown(node.text, true);
    const index = indexes[0];
    if (index.type === 'slice') {
      const parts = this.sliceBounds(index, frame, depth);
      const items = isObject(value, 'list') ? value.items : undefined;
      if (!parts || !items) return unknown(node.text, true);
      const [start, end] = parts.map((p, i) => (p === undefined ? (i === 0 ? 0 : items.length) : p < 0 ? Math.max(items.length + p, 0) : p));
      return { kind: 'list', items: items.slice(start, end) };
    }
    const key = this.evaluate(index, frame, depth + 1);
    if (isObject(value, 'list') && typeof key === 'number' && Number.isInteger(key)) {
      return value.items.at(key) ?? unknown(node.text, true);
    }
    if (isObject(value, 'dict') && typeof key === 'string') return value.entries.get(key) ?? unknown(node.text, true);
    if (isObject(value, 'module') && typeof key === 'number' && ['Sequential', 'ModuleList'].includes(value.type)) {
      return [...value.children.values()].at(key) ?? unknown(node.text, true);
    }
    if (isObject(value, 'module') && typeof key === 'string' && value.type === 'ModuleDict') return value.children.get(key) ?? unknown(node.text, true);
    return unknown(node.text, true);
  }

  private sliceBounds(slice: Node, frame: Frame, depth: number): [number | undefined, number | undefined] | undefined {
    // `a[1:]`, `a[:-1]`, `a[i:j]`: positions come from the colon tokens; steps are not supported.
    const bounds: Array<number | undefined> = [undefined, undefined];
    let slot = 0;
    for (const child of slice.children) {
      if (!child) continue;
      if (child.type === ':') slot++;
      else if (child.isNamed) {
        const value = this.evaluate(child, frame, depth + 1);
        if (typeof value !== 'number' || slot > 1) return undefined;
        bounds[slot] = value;
      }
    }
    return slot > 1 ? undefined : [bounds[0], bounds[1]];
  }

  // ---------------------------------------------------------------- calls

  private call(node: Node, frame: Frame, depth: number): Value {
    const fnNode = node.childForFieldName('function')!;
    const args = this.argumentsOf(node, frame, depth);
    if (typeof args === 'string') return unknown(args, true);
    // `super().__init__(...)` / `super(Net, self).__init__(...)`
    if (fnNode.type === 'attribute' && fnNode.childForFieldName('object')?.type === 'call') {
      const inner = fnNode.childForFieldName('object')!;
      if (inner.childForFieldName('function')?.text === 'super' && fnNode.childForFieldName('attribute')?.text === '__init__') {
        this.superInit(frame, args, node, depth);
        return null;
      }
    }
    if (fnNode.type === 'attribute') {
      const method = fnNode.childForFieldName('attribute')?.text ?? '';
      const object = this.evaluate(fnNode.childForFieldName('object')!, frame, depth + 1);
      const handled = this.method(object, method, args, node, frame, depth);
      if (handled !== undefined) return handled;
      return this.invoke(this.getAttribute(object, method, fnNode.text), args, node, frame, depth);
    }
    return this.invoke(this.evaluate(fnNode, frame, depth + 1), args, node, frame, depth);
  }

  private argumentsOf(node: Node, frame: Frame, depth: number): Args | string {
    const list = node.childForFieldName('arguments');
    const args: Args = { positional: [], keywords: new Map() };
    if (!list) return args;
    if (list.type === 'generator_expression') {
      args.positional.push(this.evaluate(list, frame, depth + 1));
      return args;
    }
    for (const arg of named(list)) {
      if (arg.type === 'comment') continue;
      if (arg.type === 'keyword_argument') {
        args.keywords.set(arg.childForFieldName('name')!.text, this.evaluate(arg.childForFieldName('value')!, frame, depth + 1));
      } else if (arg.type === 'list_splat') {
        const inner = this.iterate(this.evaluate(named(arg)[0]!, frame, depth + 1));
        if (!Array.isArray(inner)) return `${arg.text}: ${inner}`;
        args.positional.push(...inner);
      } else if (arg.type === 'dictionary_splat') {
        const inner = this.evaluate(named(arg)[0]!, frame, depth + 1);
        if (!isObject(inner, 'dict')) return `${arg.text} did not resolve`;
        for (const [k, v] of inner.entries) args.keywords.set(k, v);
      } else args.positional.push(this.evaluate(arg, frame, depth + 1));
    }
    return args;
  }

  private describe(node: Node): string {
    const text = node.text.length > 60 ? `${node.text.slice(0, 57).replace(/\s+/g, ' ')}...` : node.text.replace(/\s+/g, ' ');
    return `${text} (line ${node.startPosition.row + 1})`;
  }

  /** Calls on values: list.append, module.add_module, model.to(device) ... undefined when not one of these. */
  private method(object: Value, method: string, args: Args, node: Node, frame: Frame, depth: number): Value | undefined {
    const [first, second] = args.positional;
    if (isObject(object, 'list')) {
      if (method === 'append' && first !== undefined) {
        if (object.items.length >= LIMITS.items) return unknown(node.text, true);
        object.items.push(first);
        return null;
      }
      if (method === 'extend' && first !== undefined) {
        if (!isObject(first, 'list')) object.items.push(unknown(`${this.describe(node)}`, true));
        else if (object.items.length + first.items.length > LIMITS.items) return unknown(node.text, true);
        else object.items.push(...first.items);
        return null;
      }
      if (method === 'insert' && second !== undefined && typeof first === 'number') {
        object.items.splice(first, 0, second);
        return null;
      }
      return undefined;
    }
    if (isObject(object, 'dict') && method === 'items') return { kind: 'list', items: [...object.entries].map(([k, v]) => ({ kind: 'list', items: [k, v] })) };
    if (isObject(object, 'dict') && method === 'keys') return { kind: 'list', items: [...object.entries.keys()] };
    if (isObject(object, 'dict') && method === 'values') return { kind: 'list', items: [...object.entries.values()] };
    if (isObject(object, 'tensor')) return method.endsWith('_') || ['to', 'cuda', 'float', 'double', 'half'].includes(method) ? object : unknown(node.text);
    if (!isObject(object, 'module')) return undefined;
    if (FLUENT.has(method)) return object;
    if ((method === 'add_module' || method === 'register_module') && typeof first === 'string' && second !== undefined) {
      this.setAttribute(object, first, second, node, frame);
      return null;
    }
    if (method === 'register_parameter' && typeof first === 'string' && second !== undefined) {
      this.setAttribute(object, first, second, node, frame);
      return null;
    }
    if (method === 'register_buffer') return null;
    if ((object.type === 'ModuleList' || object.type === 'Sequential') && object.builtin && (method === 'append' || method === 'extend')) {
      const items = method === 'append' ? [first] : isObject(first, 'list') ? first.items : isObject(first, 'module') ? [...first.children.values()] : [first];
      for (const item of items) this.addChild(object, String(object.children.size), item, node);
      return object;
    }
    if (object.type === 'ModuleDict' && method === 'update' && isObject(first, 'dict')) {
      for (const [k, v] of first.entries) this.addChild(object, k, v, node);
      return null;
    }
    void depth;
    return undefined;
  }

  private invoke(callee: Value, args: Args, node: Node, frame: Frame, depth: number): Value {
    if (depth > LIMITS.expressionDepth) return unknown('an expression nested too deeply');
    if (isObject(callee, 'ref')) return this.library(callee.qualified, args, node, frame, depth);
    if (isObject(callee, 'class')) {
      const owner = callee.builder ?? this;
      if (!owner.isModuleClass(callee)) return unknown(this.describe(node), true);
      return owner.instantiate(callee, args, node, depth);
    }
    if (isObject(callee, 'function')) {
      const positional = callee.self ? [callee.self, ...args.positional] : args.positional;
      return (callee.builder ?? this).run(callee.node, { positional, keywords: args.keywords }, callee.self, callee.owner, depth + 1, node);
    }
    return unknown(this.describe(node), true);
  }

  /** `Net(...)`: a fresh module, filled by the class's `__init__` (or its nearest base's). */
  instantiate(cls: ClassValue, args: Args, node: Node, depth: number): Value {
    if (depth > LIMITS.depth) return unknown(`${this.describe(node)}: modules nested more than ${LIMITS.depth} deep`, true);
    const module = newModule(this.ids, cls.name, false);
    module.classNode = cls.node;
    module.builder = this;
    this.initialise(module, cls, args, node, depth + 1);
    return module;
  }

  /** Runs `cls.__init__` on `module`, or the first base's when the class has none. */
  initialise(module: ModuleValue, cls: ClassValue, args: Args, node: Node, depth: number): void {
    for (let current: ClassValue | undefined = cls, level = 0; current && level < 16; level++) {
      const init = ownMethod(current.node, '__init__');
      if (init) {
        this.run(init, { positional: [module, ...args.positional], keywords: args.keywords }, module, current, depth, node);
        return;
      }
      const base = this.baseOf(current);
      if (isObject(base, 'class') && base.builder && base.builder !== this) return base.builder.initialise(module, base, args, node, depth + 1);
      if (isObject(base, 'class')) {
        current = base;
        continue;
      }
      if (isObject(base, 'ref')) this.builtinInit(module, base.qualified, args, node);
      return;
    }
  }

  private superInit(frame: Frame, args: Args, node: Node, depth: number): void {
    if (!frame.self || !frame.owner) return;
    const base = this.baseOf(frame.owner);
    if (isObject(base, 'class')) (base.builder ?? this).initialise(frame.self, base, args, node, depth + 1);
    else if (isObject(base, 'ref')) this.builtinInit(frame.self, base.qualified, args, node);
    else this.note(frame, `the base class of ${frame.owner.name} did not resolve`);
  }

  /** `super().__init__(...)` of a torch.nn class: `class Block(nn.Sequential)`. */
  private builtinInit(module: ModuleValue, qualified: string, args: Args, node: Node): void {
    if (qualified === 'torch.nn.Module' || LIGHTNING_BASES.has(qualified)) return;
    const type = torchNnClass(qualified);
    if (!type) {
      module.unresolved.push(`${this.describe(node)}: base class ${qualified} is not supported`);
      return;
    }
    this.torchModule(type, args, node, module);
  }

  /** Library calls: torch.nn classes, tensor factories, builtins, OrderedDict, deepcopy. */
  private library(qualified: string, args: Args, node: Node, frame: Frame, depth: number): Value {
    const nnClass = torchNnClass(qualified);
    if (nnClass) {
      if (nnClass === 'Parameter') return this.parameter(args, node);
      const module = newModule(this.ids, nnClass, true);
      this.torchModule(nnClass, args, node, module);
      return module;
    }
    const [first, second] = args.positional;
    if (qualified.startsWith('torch.') && TENSOR_FACTORIES.has(qualified.slice(6))) return this.tensor(qualified.slice(6), args, node);
    switch (qualified) {
      case 'collections.OrderedDict':
      case 'builtins.dict': {
        const entries = new Map<string, Value>();
        if (isObject(first, 'list')) {
          for (const pair of first.items) {
            if (!isObject(pair, 'list') || pair.items.length !== 2 || typeof pair.items[0] !== 'string') return unknown(this.describe(node), true);
            entries.set(pair.items[0], pair.items[1]);
          }
        } else if (isObject(first, 'dict')) for (const [k, v] of first.entries) entries.set(k, v);
        else if (first !== undefined) return unknown(this.describe(node), true);
        for (const [k, v] of args.keywords) entries.set(k, v);
        return { kind: 'dict', entries };
      }
      case 'copy.deepcopy':
        if (isObject(first, 'module')) return this.clone(first, 1)?.[0] ?? unknown(this.describe(node), true);
        return unknown(this.describe(node), true);
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
        if (qualified === 'builtins.sum') return this.number(values.reduce((a, b) => a + b, 0));
        return qualified === 'builtins.min' ? Math.min(...values) : Math.max(...values);
      }
      case 'builtins.list':
      case 'builtins.tuple':
      case 'builtins.reversed': {
        if (first === undefined) return { kind: 'list', items: [] };
        const items = this.iterate(first);
        if (!Array.isArray(items)) return unknown(node.text, true);
        return { kind: 'list', items: qualified === 'builtins.reversed' ? [...items].reverse() : [...items] };
      }
      case 'builtins.enumerate': {
        const items = first === undefined ? 'nothing' : this.iterate(first);
        if (!Array.isArray(items)) return unknown(node.text, true);
        const start = asNumber(second ?? args.keywords.get('start') ?? 0) ?? 0;
        return { kind: 'list', items: items.map((item, i) => ({ kind: 'list', items: [start + i, item] })) };
      }
      case 'builtins.zip': {
        const lists = args.positional.map((a) => this.iterate(a));
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
          this.setAttribute(target, name, value, node, frame);
          return null;
        }
        if (isObject(target, 'module')) target.unresolved.push(`${this.describe(node)} did not resolve`);
        return null;
      }
      case 'builtins.getattr':
        if (typeof second === 'string' && first !== undefined) return this.getAttribute(first, second, node.text);
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
        return this.number(f(x));
      }
    }
    void depth;
    // A library call given a module (`weight_norm(nn.Linear(...))`) may return it changed: not counted.
    const takesModule = [...args.positional, ...args.keywords.values()].some((v) => isObject(v, 'module') || (isObject(v, 'unknown') && v.module));
    return unknown(this.describe(node), modelLike(qualified) || takesModule || qualified.startsWith('torch.nn.'));
  }

  /** torch.nn containers and layers, built into `module`. */
  private torchModule(type: string, args: Args, node: Node, module: ModuleValue): void {
    const describe = this.describe(node);
    switch (type) {
      case 'Sequential': {
        const [first] = args.positional;
        if (args.positional.length === 1 && isObject(first, 'dict')) for (const [k, v] of first.entries) this.addChild(module, k, v, node);
        else args.positional.forEach((item, i) => this.addChild(module, String(i), item, node));
        return;
      }
      case 'ModuleList':
      case 'ParameterList': {
        const first = args.positional[0] ?? args.keywords.get(type === 'ModuleList' ? 'modules' : 'values');
        if (first === undefined || first === null) return;
        const items = this.iterate(first);
        if (!Array.isArray(items)) return void module.unresolved.push(`${describe}: ${items}`);
        items.forEach((item, i) => (type === 'ModuleList' ? this.addChild(module, String(i), item, node) : this.setAttribute(module, String(i), item, node, undefined)));
        return;
      }
      case 'ModuleDict':
      case 'ParameterDict': {
        const first = args.positional[0] ?? args.keywords.get(type === 'ModuleDict' ? 'modules' : 'parameters');
        if (first === undefined || first === null) return;
        if (!isObject(first, 'dict')) return void module.unresolved.push(`${describe}: its items did not resolve`);
        for (const [k, v] of first.entries) this.setAttribute(module, k, v, node, undefined);
        return;
      }
    }
    if (!isBuiltinLayer(type)) {
      module.unresolved.push(`${describe}: nn.${type} is not supported`);
      return;
    }
    buildLayer(type, { positional: args.positional, keywords: args.keywords, describe }, module, this.layerContext);
  }

  private addChild(module: ModuleValue, name: string, value: Value | undefined, node: Node): void {
    if (isObject(value, 'module')) module.children.set(name, value);
    else if (isObject(value, 'unknown')) module.unresolved.push(`${value.why} (not counted)`);
    else module.unresolved.push(`${this.describe(node)}: item ${name} is not a module`);
  }

  /** `nn.Parameter(torch.zeros(a, b))`. */
  private parameter(args: Args, node: Node): Value {
    const data = args.positional[0] ?? args.keywords.get('data');
    if (isObject(data, 'tensor')) return newTensor(this.ids, data.numel, true);
    return unknown(`${this.describe(node)}`, true);
  }

  /** `torch.zeros(2, 3)`, `torch.randn((1, n, d))`, `torch.full((n,), 0.5)`, `torch.eye(n)`, `torch.tensor([...])`. */
  private tensor(factory: string, args: Args, node: Node): Value {
    const [first] = args.positional;
    if (factory.endsWith('_like')) return isObject(first, 'tensor') ? newTensor(this.ids, first.numel, false) : unknown(node.text);
    if (factory === 'tensor') {
      const count = countElements(first, 0);
      return count === undefined ? unknown(node.text) : newTensor(this.ids, count, false);
    }
    if (factory === 'eye') {
      const n = asNumber(first);
      const m = asNumber(args.positional[1] ?? args.keywords.get('m') ?? n ?? null);
      return n !== undefined && m !== undefined ? this.sized([n, m], node) : unknown(node.text);
    }
    const dims = factory === 'full' ? (isObject(first, 'list') ? first.items : [first]) : args.positional.length === 1 && isObject(first, 'list') ? first.items : args.positional;
    const sizes = args.keywords.has('size') && dims.length === 0 ? [args.keywords.get('size')!] : dims;
    const flat = sizes.length === 1 && isObject(sizes[0], 'list') ? sizes[0].items : sizes;
    const numbers = flat.map(asNumber);
    if (numbers.some((n) => n === undefined || !Number.isInteger(n) || n < 0)) return unknown(node.text);
    return this.sized(numbers as number[], node);
  }

  private sized(dims: number[], node: Node): Value {
    const numel = dims.reduce((a, b) => a * b, 1);
    return numel > LIMITS.magnitude ? unknown(node.text) : newTensor(this.ids, numel, false);
  }

  // ---------------------------------------------------------------- functions and statements

  /** Runs a function body with its parameters bound; returns what it returns. */
  run(fn: Node, args: Args, self: ModuleValue | undefined, owner: ClassValue | undefined, depth: number, site: Node): Value {
    if (depth > LIMITS.depth) {
      const why = `${this.describe(site)}: calls nested more than ${LIMITS.depth} deep`;
      if (self) self.unresolved.push(why);
      return unknown(why, true);
    }
    const frame: Frame = { locals: new Map(), self, owner, notes: [] };
    this.bindParameters(fn, args, frame, depth);
    const body = fn.childForFieldName('body');
    try {
      if (body) this.block(body, frame, depth);
    } catch (flow) {
      if (flow instanceof Flow) return flow.kind === 'return' ? flow.value : null;
      throw flow;
    }
    return null;
  }

  private bindParameters(fn: Node, args: Args, frame: Frame, depth: number): void {
    let index = 0;
    let keywordOnly = false;
    const used = new Set<string>();
    for (const param of named(fn.childForFieldName('parameters'))) {
      if (param.type === 'keyword_separator') {
        keywordOnly = true;
        continue;
      }
      if (param.type === 'positional_separator' || param.type === 'comment') continue;
      if (param.type === 'list_splat_pattern') {
        const name = named(param)[0]?.text;
        if (name) frame.locals.set(name, { kind: 'list', items: args.positional.slice(index) });
        index = args.positional.length;
        keywordOnly = true;
        continue;
      }
      if (param.type === 'dictionary_splat_pattern') {
        const name = named(param)[0]?.text;
        const rest = new Map([...args.keywords].filter(([k]) => !used.has(k)));
        if (name) frame.locals.set(name, { kind: 'dict', entries: rest });
        continue;
      }
      const nameNode = param.type === 'identifier' ? param : (param.childForFieldName('name') ?? named(param).find((c) => c.type === 'identifier'));
      const name = nameNode?.text;
      if (!name) continue;
      used.add(name);
      let value: Value | undefined;
      if (!keywordOnly && index < args.positional.length) value = args.positional[index++];
      else if (args.keywords.has(name)) value = args.keywords.get(name);
      else {
        const fallback = param.childForFieldName('value');
        value = fallback ? this.evaluate(fallback, this.moduleFrame([]), depth + 1) : unknown(`${name} (not passed)`, true);
      }
      frame.locals.set(name, value!);
    }
  }

  /** Runs one statement at the top of a frame (a later edit of a model: `model.fc = nn.Linear(...)`). */
  execute(statement: Node, frame: Frame): void {
    try {
      this.statement(statement, frame, 1);
    } catch (flow) {
      if (!(flow instanceof Flow)) throw flow;
    }
  }

  private block(block: Node, frame: Frame, depth: number): void {
    for (const statement of named(block)) this.statement(statement, frame, depth);
  }

  private statement(node: Node, frame: Frame, depth: number): void {
    this.tick();
    switch (node.type) {
      case 'expression_statement':
        for (const child of named(node)) {
          if (child.type === 'assignment') this.assign(child, frame, depth);
          else if (child.type === 'augmented_assignment') this.augmented(child, frame, depth);
          else if (child.type !== 'string') this.evaluate(child, frame, depth + 1);
        }
        return;
      case 'return_statement': {
        const value = named(node)[0];
        throw new Flow('return', value ? this.evaluate(value, frame, depth + 1) : null);
      }
      case 'if_statement':
        return this.ifStatement(node, frame, depth);
      case 'for_statement':
        return this.forStatement(node, frame, depth);
      case 'while_statement':
        return this.skip(node, frame, `the while loop at line ${node.startPosition.row + 1} is not followed`);
      case 'break_statement':
        throw new Flow('break');
      case 'continue_statement':
        throw new Flow('continue');
      case 'raise_statement':
        throw new Flow('return', unknown(`raise at line ${node.startPosition.row + 1}`));
      case 'with_statement': {
        const body = node.childForFieldName('body');
        if (body) this.block(body, frame, depth);
        return;
      }
      case 'try_statement': {
        const body = node.childForFieldName('body');
        if (body) this.block(body, frame, depth);
        return;
      }
      case 'function_definition': {
        const name = node.childForFieldName('name')?.text;
        if (name) frame.locals.set(name, { kind: 'function', name, node, builder: this });
        return;
      }
      case 'global_statement':
        frame.globalNames ??= new Set();
        for (const id of named(node)) if (id.type === 'identifier') frame.globalNames.add(id.text);
        return;
      case 'delete_statement':
        for (const target of named(node).flatMap((c) => (c.type === 'expression_list' ? named(c) : [c]))) {
          if (target.type === 'attribute') {
            const object = this.evaluate(target.childForFieldName('object')!, frame, depth + 1);
            const attr = target.childForFieldName('attribute')!.text;
            if (isObject(object, 'module')) {
              object.children.delete(attr);
              object.params.delete(attr);
              object.attrs.delete(attr);
            }
          }
        }
        return;
      default:
        return; // pass, assert, import, global, print ...
    }
  }

  private assign(node: Node, frame: Frame, depth: number): void {
    const right = node.childForFieldName('right');
    if (!right) return; // a bare annotation
    let value: Value;
    if (right.type === 'assignment') {
      // a = b = expr
      this.assign(right, frame, depth);
      value = this.evaluate(right.childForFieldName('left')!, frame, depth + 1);
    } else value = this.evaluate(right, frame, depth + 1);
    this.bindTarget(node.childForFieldName('left')!, value, frame, depth, node);
  }

  private augmented(node: Node, frame: Frame, depth: number): void {
    const left = node.childForFieldName('left')!;
    const operator = node.childForFieldName('operator')?.text.replace('=', '') ?? '';
    const current = this.evaluate(left, frame, depth + 1);
    const right = this.evaluate(node.childForFieldName('right')!, frame, depth + 1);
    let value: Value;
    const x = asNumber(current);
    const y = asNumber(right);
    if (x !== undefined && y !== undefined) value = this.number(arithmetic(operator, x, y) ?? NaN);
    else if (operator === '+' && isObject(current, 'list') && isObject(right, 'list')) {
      current.items.push(...right.items.slice(0, Math.max(0, LIMITS.items - current.items.length)));
      value = current.items.length >= LIMITS.items ? unknown(node.text, true) : current;
    } else if (operator === '+' && isObject(current, 'module') && current.type === 'ModuleList' && isObject(right, 'list')) {
      for (const item of right.items) this.addChild(current, String(current.children.size), item, node);
      value = current;
    } else value = unknown(node.text, isObject(current, 'list') || isObject(current, 'module'));
    this.bindTarget(left, value, frame, depth, node);
  }

  private bindTarget(target: Node, value: Value, frame: Frame, depth: number, site?: Node): void {
    switch (target.type) {
      case 'identifier':
        if (frame.globalNames?.has(target.text)) this.globals.set(target.text, value);
        else frame.locals.set(target.text, value);
        return;
      case 'attribute': {
        const object = this.evaluate(target.childForFieldName('object')!, frame, depth + 1);
        const attr = target.childForFieldName('attribute')!.text;
        if (isObject(object, 'module')) this.setAttribute(object, attr, value, site ?? target, frame);
        return;
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern': {
        const targets = named(target).filter((c) => c.type !== 'comment');
        const items = isObject(value, 'list') && value.items.length === targets.length ? value.items : undefined;
        targets.forEach((t, i) => this.bindTarget(t, items ? items[i] : unknown(t.text, true), frame, depth, site));
        return;
      }
      case 'subscript': {
        const object = this.evaluate(target.childForFieldName('value')!, frame, depth + 1);
        const key = this.evaluate(target.childrenForFieldName('subscript').find((n) => n !== null)!, frame, depth + 1);
        if (isObject(object, 'dict') && typeof key === 'string') object.entries.set(key, value);
        else if (isObject(object, 'list') && typeof key === 'number' && Number.isInteger(key) && key < object.items.length && key >= -object.items.length) {
          object.items[key < 0 ? object.items.length + key : key] = value;
        } else if (isObject(object, 'module') && typeof key === 'string' && object.type === 'ModuleDict') this.setAttribute(object, key, value, site ?? target, frame);
        else if (isObject(object, 'module') && typeof key === 'number' && Number.isInteger(key) && ['ModuleList', 'Sequential'].includes(object.type) && object.builtin) {
          // `model.classifier[-1] = nn.Linear(...)` replaces the child at that position.
          const names = [...object.children.keys()];
          const name = names.at(key);
          if (name === undefined) object.unresolved.push(`${this.describe(site ?? target)}: index ${key} is out of range`);
          else if (isObject(value, 'module')) object.children.set(name, value);
          else {
            object.children.delete(name);
            object.unresolved.push(`${this.describe(site ?? target)} did not resolve`);
          }
        }
        else if (isObject(object, 'module') || isObject(object, 'list') || isObject(object, 'dict')) {
          const owner = isObject(object, 'module') ? object : frame.self;
          owner?.unresolved.push(`${this.describe(site ?? target)} did not resolve`);
        }
        return;
      }
      default:
        return;
    }
  }

  /** `module.name = value` as nn.Module.__setattr__ does it: modules and parameters register, the rest is kept. */
  setAttribute(module: ModuleValue, name: string, value: Value, site: Node, frame: Frame | undefined): void {
    const hadParameter = module.params.has(name);
    module.children.delete(name);
    module.params.delete(name);
    module.attrs.delete(name);
    if (isObject(value, 'module')) module.children.set(name, value);
    else if (isObject(value, 'tensor') && value.parameter) module.params.set(name, value);
    else {
      module.attrs.set(name, value);
      if (isObject(value, 'unknown') && (value.module || hadParameter)) {
        const plain = value.why === site.text || /\(line \d+\)$/.test(value.why);
        const note = `${this.describe(site)}: ${plain ? 'did not resolve' : / (resolve|counted)\)?$/.test(value.why) ? value.why : `${value.why} did not resolve`}`;
        if (!module.unresolved.includes(note)) module.unresolved.push(note);
      }
    }
    void frame;
  }

  private ifStatement(node: Node, frame: Frame, depth: number): void {
    const branches: Array<[Node | undefined, Node | null]> = [[node.childForFieldName('condition') ?? undefined, node.childForFieldName('consequence')]];
    for (const clause of node.childrenForFieldName('alternative')) {
      if (!clause) continue;
      if (clause.type === 'elif_clause') branches.push([clause.childForFieldName('condition') ?? undefined, clause.childForFieldName('consequence')]);
      else branches.push([undefined, clause.childForFieldName('body')]);
    }
    for (const [condition, body] of branches) {
      const truth = condition ? truthy(this.evaluate(condition, frame, depth + 1)) : true;
      if (truth === undefined) return this.skip(node, frame, `the condition \`${condition!.text.slice(0, 60)}\` (line ${condition!.startPosition.row + 1}) did not resolve`);
      if (truth) {
        if (body) this.block(body, frame, depth);
        return;
      }
    }
  }

  private forStatement(node: Node, frame: Frame, depth: number): void {
    const iterable = this.iterate(this.evaluate(node.childForFieldName('right')!, frame, depth + 1));
    if (!Array.isArray(iterable)) return this.skip(node, frame, `the loop over \`${node.childForFieldName('right')!.text.slice(0, 60)}\` (line ${node.startPosition.row + 1}): ${iterable}`);
    const body = node.childForFieldName('body');
    for (const item of iterable) {
      this.bindTarget(node.childForFieldName('left')!, item, frame, depth);
      try {
        if (body) this.block(body, frame, depth);
      } catch (flow) {
        if (flow instanceof Flow && flow.kind === 'break') break;
        if (flow instanceof Flow && flow.kind === 'continue') continue;
        throw flow;
      }
    }
  }

  /**
   * A branch or loop that does not resolve is not followed: what it builds is not counted (a lower
   * bound), and every name and attribute it assigns becomes unknown, so nothing counted can be one
   * it would have replaced.
   */
  private skip(node: Node, frame: Frame, why: string): void {
    let builds = false;
    const visit = (n: Node, level: number): void => {
      if (level > 64) return;
      for (const child of named(n)) {
        if (child.type === 'call') builds = true;
        if (child.type === 'assignment' || child.type === 'augmented_assignment' || child.type === 'for_statement') {
          const left = child.childForFieldName('left');
          if (left?.type === 'identifier') frame.locals.set(left.text, unknown(left.text, true));
          if (left?.type === 'attribute' && left.childForFieldName('object')?.text === 'self' && frame.self) {
            const attr = left.childForFieldName('attribute')!.text;
            frame.self.children.delete(attr);
            frame.self.params.delete(attr);
            frame.self.attrs.set(attr, unknown(left.text, true));
          }
        }
        visit(child, level + 1);
      }
    };
    visit(node, 0);
    if (builds) this.note(frame, `${why}: what it builds was not counted`);
  }
}

export interface Args {
  positional: Value[];
  keywords: Map<string, Value>;
}

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

function isKnown(value: Value | undefined): boolean {
  return value !== undefined && !isObject(value, 'unknown');
}

function asNumber(value: Value | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return Number(value);
  return undefined;
}

function truthy(value: Value): boolean | undefined {
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'boolean') return value;
  if (value === null) return false;
  if (isObject(value, 'list')) return value.items.length > 0;
  if (isObject(value, 'dict')) return value.entries.size > 0;
  if (isObject(value, 'unknown')) return undefined;
  return true;
}

function compare(operator: string, a: Value, b: Value): boolean | undefined {
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

function arithmetic(operator: string, x: number, y: number): number | undefined {
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

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Elements of a nested list literal (`torch.tensor([[1, 2], [3, 4]])` → 4). */
function countElements(value: Value | undefined, level: number): number | undefined {
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
function modelLike(qualified: string): boolean {
  const last = qualified.split('.').at(-1) ?? '';
  return /^[A-Z]/.test(last) || /(^|\.)(models?|hub|timm|transformers)(\.|$)/.test(qualified) || /create_model|from_pretrained|load/.test(last);
}

export type { FunctionValue };
