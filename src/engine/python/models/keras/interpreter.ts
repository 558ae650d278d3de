/**
 * Follows a Keras script statement by statement, without running it: variables, calls to the
 * script's own functions (inlined with their arguments), loops over literal ranges and lists,
 * branches whose condition resolves. Layers, tensors and models are symbolic (graph.ts); what does
 * not resolve becomes `unknown` and the models it touches lose their exactness, never gain a guess.
 *
 * Everything is bounded: statements executed, inlining depth, loop iterations, layers created.
 */
import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../../python-file';
import { FunctionalModel } from './functional';
import { LayerInstance, Tally, tallyGraph, type CallRecord, type ModelValue, type SymTensor } from './graph';
import { kerasRole } from './keras-names';
import type { ArgValue, LayerArgs } from './layer-args';
import { SequentialModel } from './sequential';
import { closed, isUnknownShape, MAX_DIM, UNKNOWN_SHAPE, type Dim, type Shape } from './shapes';
import { SubclassedModel } from './subclassed';
import { Scope, UNKNOWN, type Value } from './values';

const MAX_STEPS = 60_000;
const MAX_INLINE_DEPTH = 12;
const MAX_LOOP = 256;
const MAX_LAYERS = 20_000;
const MAX_TUPLE = 4096;

type Signal = { type: 'return'; value: Value } | { type: 'break' } | { type: 'continue' } | undefined;

interface CallArgs {
  positional: Value[];
  keywords: Map<string, Value>;
  splat: boolean;
}

export interface RegisteredModel {
  model: ModelValue;
  /** Set when DL Doctor followed the code with assumed arguments (a function nobody calls in this file). */
  assumed?: string;
}

export class KerasInterpreter {
  readonly models: RegisteredModel[] = [];
  /** Where values came from (argparse defaults, constants), for the notes. */
  private steps = 0;
  private layers = 0;
  private readonly stack: Node[] = [];
  /** Why the current statements may or may not run (an unresolved branch or loop). */
  private uncertainty: string | undefined;
  private exhausted = false;
  private assumed: string | undefined;
  readonly module: Scope;
  /** Function bodies already followed (by inlining or standalone). */
  readonly followed = new Set<Node>();

  constructor(readonly file: PythonFile) {
    this.module = new Scope(undefined);
  }

  /** Follows the module, then every top-level function nobody called (with its default arguments). */
  run(): void {
    const definitions = this.file.statements.map(unwrapDecorated).filter((n): n is Node => !!n);
    for (const def of definitions) this.define(def, this.module);
    this.block(this.file.statements, this.module);
    for (const def of definitions) {
      if (def.type !== 'function_definition' || this.followed.has(def) || this.exhausted) continue;
      if (!/\b(Sequential|Model)\s*\(/.test(def.text)) continue;
      const name = def.childForFieldName('name')?.text ?? '?';
      this.assumed = `${name}() is not called in this file: followed with its default arguments`;
      this.inline(def, this.module, { positional: [], keywords: new Map(), splat: false }, true);
      this.assumed = undefined;
    }
  }

  get budgetExceeded(): boolean {
    return this.exhausted;
  }

  // ---- statements -----------------------------------------------------------------------------

  private block(statements: (Node | null)[], scope: Scope): Signal {
    for (const statement of statements) {
      if (!statement) continue;
      const signal = this.statement(statement, scope);
      if (signal) return signal;
    }
    return undefined;
  }

  private tick(): boolean {
    if (++this.steps > MAX_STEPS || this.layers > MAX_LAYERS) this.exhausted = true;
    return !this.exhausted;
  }

  private statement(node: Node, scope: Scope): Signal {
    if (!this.tick()) return undefined;
    switch (node.type) {
      case 'expression_statement': {
        const inner = node.namedChildren[0];
        if (!inner) return undefined;
        if (inner.type === 'assignment') this.assign(inner, scope);
        else if (inner.type === 'augmented_assignment') this.augmented(inner, scope);
        else this.eval(inner, scope);
        return undefined;
      }
      case 'return_statement': {
        const value = node.namedChildren[0];
        const result = value ? this.eval(value, scope) : { kind: 'scalar' as const, value: null };
        return { type: 'return', value: this.uncertainty ? unknown(this.uncertainty) : result };
      }
      case 'if_statement':
        return this.ifStatement(node, scope);
      case 'for_statement':
        return this.forStatement(node, scope);
      case 'while_statement':
        this.uncertain(`the while loop on line ${line(node)}`, scope, [node.childForFieldName('body')]);
        return undefined;
      case 'with_statement':
        return this.block(children(node.childForFieldName('body')), scope);
      case 'try_statement':
        return this.block(children(node.childForFieldName('body')), scope);
      case 'function_definition':
      case 'class_definition':
      case 'decorated_definition':
        if (scope !== this.module) this.define(unwrapDecorated(node), scope);
        return undefined;
      case 'break_statement':
        return { type: 'break' };
      case 'continue_statement':
        return { type: 'continue' };
      default:
        return undefined;
    }
  }

  private define(def: Node | undefined, scope: Scope): void {
    const name = def?.childForFieldName('name')?.text;
    if (!def || !name) return;
    if (def.type === 'function_definition') scope.vars.set(name, { kind: 'function', node: def, closure: scope });
    else if (def.type === 'class_definition') scope.vars.set(name, { kind: 'class', node: def, closure: scope });
  }

  private assign(node: Node, scope: Scope): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right) return;
    // `a = b = value`
    const value = right.type === 'assignment' ? (this.assign(right, scope), this.eval(right.childForFieldName('left')!, scope)) : this.eval(right, scope);
    this.bind(left, value, scope);
  }

  private augmented(node: Node, scope: Scope): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const operator = node.childForFieldName('operator')?.text.replace('=', '');
    if (!left || !right || !operator) return;
    this.bind(left, this.binary(operator, this.eval(left, scope), this.eval(right, scope), node), scope);
  }

  private bind(target: Node, value: Value, scope: Scope): void {
    if (target.type === 'identifier') {
      scope.vars.set(target.text, value);
    } else if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern') {
      const targets = children(target);
      const items = value.kind === 'tuple' && value.items.length === targets.length ? value.items : undefined;
      targets.forEach((t, i) => this.bind(t, items ? items[i] : unknownFrom(value), scope));
    } else if (target.type === 'attribute') {
      const object = this.eval(target.childForFieldName('object')!, scope);
      const attribute = target.childForFieldName('attribute')?.text;
      if (!attribute) return;
      if (object.kind === 'object') object.attrs.set(attribute, this.uncertainty ? unknown(this.uncertainty) : value);
      else if (attribute === 'trainable' && object.kind === 'layer' && value.kind === 'scalar' && typeof value.value === 'boolean' && !this.uncertainty) {
        object.layer.trainable = value.value;
      }
    }
  }

  private ifStatement(node: Node, scope: Scope): Signal {
    const condition = this.truth(node.childForFieldName('condition'), scope);
    const consequence = node.childForFieldName('consequence');
    const alternatives = node.childrenForFieldName('alternative').filter((n): n is Node => n !== null);
    if (condition === true) return this.block(children(consequence), scope);
    if (condition === false) {
      const next = alternatives[0];
      if (!next) return undefined;
      if (next.type === 'elif_clause') return this.elif(next, alternatives.slice(1), scope);
      return this.block(children(next.childForFieldName('body')), scope);
    }
    const branches: (Node | null)[] = [consequence, ...alternatives.map((a) => a.childForFieldName(a.type === 'elif_clause' ? 'consequence' : 'body'))];
    this.uncertain(`the condition on line ${line(node)} does not resolve`, scope, branches);
    return undefined;
  }

  private elif(clause: Node, rest: Node[], scope: Scope): Signal {
    const condition = this.truth(clause.childForFieldName('condition'), scope);
    if (condition === true) return this.block(children(clause.childForFieldName('consequence')), scope);
    if (condition === false) {
      const next = rest[0];
      if (!next) return undefined;
      if (next.type === 'elif_clause') return this.elif(next, rest.slice(1), scope);
      return this.block(children(next.childForFieldName('body')), scope);
    }
    this.uncertain(`the condition on line ${line(clause)} does not resolve`, scope, [clause.childForFieldName('consequence'), ...rest.map((a) => a.childForFieldName(a.type === 'elif_clause' ? 'consequence' : 'body'))]);
    return undefined;
  }

  /**
   * Runs bodies that may or may not run (or run many times): models they change are marked, and
   * variables they set become unknown afterwards unless every path leaves them alone.
   */
  private uncertain(reason: string, scope: Scope, bodies: (Node | null)[]): void {
    const before = new Map(scope.vars);
    const saved = this.uncertainty;
    this.uncertainty = saved ?? reason;
    const changed = new Set<string>();
    for (const body of bodies) {
      scope.vars = new Map(before);
      this.block(children(body), scope);
      for (const [name, value] of scope.vars) if (before.get(name) !== value) changed.add(name);
    }
    this.uncertainty = saved;
    scope.vars = before;
    for (const name of changed) scope.vars.set(name, unknown(reason));
  }

  private forStatement(node: Node, scope: Scope): Signal {
    const target = node.childForFieldName('left');
    const body = node.childForFieldName('body');
    const iterable = this.iterate(node.childForFieldName('right'), scope);
    if (!target) return undefined;
    if (!iterable) {
      this.bind(target, unknown(`the loop on line ${line(node)}`), scope);
      this.uncertain(`the loop on line ${line(node)} does not resolve to fewer than ${MAX_LOOP} iterations`, scope, [body]);
      return undefined;
    }
    for (const item of iterable) {
      this.bind(target, item, scope);
      const signal = this.block(children(body), scope);
      if (signal?.type === 'break') break;
      if (signal?.type === 'return') return signal;
      if (this.exhausted) break;
    }
    return undefined;
  }

  /** Items of a loop's iterable when it resolves to at most MAX_LOOP of them. */
  private iterate(node: Node | null, scope: Scope): Value[] | undefined {
    if (!node) return undefined;
    if (node.type === 'call') {
      const fn = node.childForFieldName('function')?.text;
      const args = this.file.positionalArguments(node).map((a) => this.eval(a, scope));
      if (fn === 'range' && args.length >= 1 && args.length <= 3 && args.every((a) => a.kind === 'scalar' && Number.isInteger(a.value))) {
        const [start, stop, step] = args.length === 1 ? [0, num(args[0])!, 1] : [num(args[0])!, num(args[1])!, args[2] ? num(args[2])! : 1];
        if (step === 0) return undefined;
        const count = Math.max(0, Math.ceil((stop - start) / step));
        if (count > MAX_LOOP) return undefined;
        return Array.from({ length: count }, (_, i) => ({ kind: 'scalar' as const, value: start + i * step }));
      }
      if (fn === 'enumerate' && args[0]?.kind === 'tuple' && args[0].items.length <= MAX_LOOP) {
        return args[0].items.map((item, i) => ({ kind: 'tuple' as const, items: [{ kind: 'scalar' as const, value: i }, item] }));
      }
      if (fn === 'zip' && args.length > 0 && args.every((a) => a.kind === 'tuple')) {
        const length = Math.min(...args.map((a) => (a.kind === 'tuple' ? a.items.length : 0)));
        if (length > MAX_LOOP) return undefined;
        return Array.from({ length }, (_, i) => ({ kind: 'tuple' as const, items: args.map((a) => (a.kind === 'tuple' ? a.items[i] : UNKNOWN)) }));
      }
      return undefined;
    }
    const value = this.eval(node, scope);
    return value.kind === 'tuple' && value.items.length <= MAX_LOOP ? value.items : undefined;
  }

  private truth(node: Node | null, scope: Scope): boolean | undefined {
    if (!node) return undefined;
    // `if __name__ == "__main__":` runs when the script is the program.
    if (node.type === 'comparison_operator' && /^__name__\s*==\s*['"]__main__['"]$/.test(node.text)) return true;
    const value = this.eval(node, scope);
    if (value.kind === 'scalar') return Boolean(value.value) && value.value !== '';
    if (value.kind === 'tuple') return value.items.length > 0;
    return undefined;
  }

  // ---- expressions ----------------------------------------------------------------------------

  eval(node: Node, scope: Scope): Value {
    if (!this.tick()) return UNKNOWN;
    switch (node.type) {
      case 'integer':
      case 'float':
      case 'string':
      case 'true':
      case 'false':
      case 'none':
      case 'concatenated_string': {
        const resolved = this.file.evaluate(node);
        return resolved ? { kind: 'scalar', value: resolved.value, via: resolved.via } : UNKNOWN;
      }
      case 'identifier':
        return this.name(node, scope);
      case 'attribute':
        return this.attribute(node, scope);
      case 'parenthesized_expression': {
        const inner = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
        return inner ? this.eval(inner, scope) : UNKNOWN;
      }
      case 'tuple':
      case 'list':
      case 'expression_list': {
        const items = children(node).filter((c) => c.type !== 'comment');
        if (items.length > MAX_TUPLE || items.some((c) => c.type === 'list_splat')) return unknown(`a list on line ${line(node)}`);
        return { kind: 'tuple', items: items.map((c) => this.eval(c, scope)) };
      }
      case 'binary_operator': {
        const operator = node.childForFieldName('operator')?.text ?? '';
        return this.binary(operator, this.eval(node.childForFieldName('left')!, scope), this.eval(node.childForFieldName('right')!, scope), node);
      }
      case 'unary_operator': {
        const operand = this.eval(node.childForFieldName('argument')!, scope);
        const operator = node.childForFieldName('operator')?.text;
        if (operand.kind === 'scalar' && typeof operand.value === 'number') {
          if (operator === '-') return { ...operand, value: -operand.value };
          if (operator === '+') return operand;
        }
        return unknownFrom(operand);
      }
      case 'not_operator': {
        const value = this.truth(node.childForFieldName('argument'), scope);
        return value === undefined ? UNKNOWN : { kind: 'scalar', value: !value };
      }
      case 'boolean_operator': {
        const left = this.truth(node.childForFieldName('left'), scope);
        const right = this.truth(node.childForFieldName('right'), scope);
        const operator = node.childForFieldName('operator')?.text;
        if (operator === 'and') return left === false || right === false ? scalar(false) : left && right ? scalar(true) : UNKNOWN;
        return left === true || right === true ? scalar(true) : left === false && right === false ? scalar(false) : UNKNOWN;
      }
      case 'comparison_operator':
        return this.compare(node, scope);
      case 'conditional_expression': {
        const [yes, condition, no] = children(node);
        const truth = this.truth(condition, scope);
        if (truth === undefined || !yes || !no) return unknown(`the condition on line ${line(node)} does not resolve`);
        return this.eval(truth ? yes : no, scope);
      }
      case 'subscript':
        return this.subscript(node, scope);
      case 'call':
        return this.call(node, scope);
      default:
        return UNKNOWN;
    }
  }

  private name(node: Node, scope: Scope): Value {
    const local = scope.lookup(node.text);
    if (local) return local;
    const binding = this.file.imports.get(node.text);
    if (binding) return { kind: 'ref', name: binding.qualified };
    const resolved = this.file.evaluate(node);
    if (resolved) return { kind: 'scalar', value: resolved.value, via: resolved.via };
    if (['int', 'float', 'len', 'range', 'list', 'tuple', 'max', 'min', 'super', 'print', 'dict', 'isinstance'].includes(node.text)) {
      return { kind: 'ref', name: `builtins.${node.text}` };
    }
    return UNKNOWN;
  }

  private attribute(node: Node, scope: Scope): Value {
    const objectNode = node.childForFieldName('object')!;
    const attribute = node.childForFieldName('attribute')?.text ?? '';
    const bound = objectNode.type === 'identifier' ? scope.lookup(objectNode.text) : undefined;
    if (objectNode.type === 'identifier' && (!bound || bound.kind === 'unknown') && !this.file.imports.has(objectNode.text)) {
      // `args.units` → the --units default.
      const resolved = this.file.evaluate(node);
      if (resolved) return { kind: 'scalar', value: resolved.value, via: resolved.via };
    }
    const object = this.eval(objectNode, scope);
    switch (object.kind) {
      case 'ref':
        return { kind: 'ref', name: `${object.name}.${attribute}` };
      case 'object':
        return object.attrs.get(attribute) ?? (hasMethod(object.cls, attribute) ? { kind: 'method', target: object, name: attribute } : unknown(`self.${attribute}`));
      case 'model':
        if (object.model instanceof FunctionalModel) {
          if (attribute === 'output' || attribute === 'outputs') return tensors(object.model.outputs, attribute === 'outputs');
          if (attribute === 'input' || attribute === 'inputs') return tensors(object.model.inputs, attribute === 'inputs');
        }
        return { kind: 'method', target: object, name: attribute };
      case 'opaque':
        if (['output', 'outputs', 'input', 'inputs'].includes(attribute)) return unknown(`${object.name} (line ${line(object.node)}).${attribute}`);
        return { kind: 'method', target: object, name: attribute };
      case 'layer':
        return { kind: 'method', target: object, name: attribute };
      default:
        return unknownFrom(object);
    }
  }

  private binary(operator: string, a: Value, b: Value, node: Node): Value {
    if (a.kind === 'scalar' && b.kind === 'scalar' && typeof a.value === 'number' && typeof b.value === 'number') {
      const value = arithmetic(operator, a.value, b.value);
      if (value === undefined || !Number.isFinite(value)) return UNKNOWN;
      const via = [a.via, b.via].filter(Boolean).join(', ');
      return via ? { kind: 'scalar', value, via } : { kind: 'scalar', value };
    }
    if (a.kind === 'tuple' && b.kind === 'tuple' && operator === '+' && a.items.length + b.items.length <= MAX_TUPLE) {
      return { kind: 'tuple', items: [...a.items, ...b.items] };
    }
    if (a.kind === 'tuple' && b.kind === 'scalar' && operator === '*' && typeof b.value === 'number' && Number.isInteger(b.value) && b.value >= 0 && a.items.length * b.value <= MAX_TUPLE) {
      return { kind: 'tuple', items: Array.from({ length: a.items.length * b.value }, (_, i) => a.items[i % a.items.length]) };
    }
    if (a.kind === 'tensor' || b.kind === 'tensor') {
      // `x + shortcut`, `x * 0.5`: element-wise, no weights (Keras wraps them in a TFOpLambda layer).
      const inputs = [a, b].filter((v): v is Extract<Value, { kind: 'tensor' }> => v.kind === 'tensor').map((v) => v.tensor);
      const other = [a, b].find((v) => v.kind !== 'tensor');
      const tally = new Tally();
      let shape: Shape = inputs[0].shape;
      if (inputs.length === 2) {
        const merged = new LayerInstance('Add', NO_ARGS, node, [], undefined).call(inputs.map((t) => t.shape));
        shape = merged.problem ? UNKNOWN_SHAPE : merged.outputs[0];
        if (merged.problem) tally.problem(`line ${line(node)}: ${merged.problem}`);
      } else if (other?.kind !== 'scalar') {
        tally.problem(`line ${line(node)}: \`${node.text.slice(0, 60)}\` is not followed`);
        tally.macs = undefined;
        shape = UNKNOWN_SHAPE;
      }
      return { kind: 'tensor', tensor: { shape, producer: { inputs, tally } } };
    }
    return unknownFrom(a.kind === 'unknown' ? a : b);
  }

  private compare(node: Node, scope: Scope): Value {
    const operands = children(node);
    const operators = node.childrenForFieldName('operators').map((o) => o?.text);
    if (operands.length !== 2 || operators.length !== 1) return UNKNOWN;
    const a = this.eval(operands[0], scope);
    const b = this.eval(operands[1], scope);
    if (a.kind !== 'scalar' || b.kind !== 'scalar') return UNKNOWN;
    const x = a.value;
    const y = b.value;
    switch (operators[0]) {
      case '==':
      case 'is':
        return scalar(x === y);
      case '!=':
      case 'is not':
        return scalar(x !== y);
      case '<':
        return typeof x === 'number' && typeof y === 'number' ? scalar(x < y) : UNKNOWN;
      case '<=':
        return typeof x === 'number' && typeof y === 'number' ? scalar(x <= y) : UNKNOWN;
      case '>':
        return typeof x === 'number' && typeof y === 'number' ? scalar(x > y) : UNKNOWN;
      case '>=':
        return typeof x === 'number' && typeof y === 'number' ? scalar(x >= y) : UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  private subscript(node: Node, scope: Scope): Value {
    const value = this.eval(node.childForFieldName('value')!, scope);
    const index = node.childrenForFieldName('subscript').filter((n): n is Node => n !== null);
    if (value.kind === 'tuple' && index.length === 1) {
      if (index[0].type === 'slice') {
        const parts = sliceParts(index[0]).map((p) => (p ? this.eval(p, scope) : undefined));
        if (parts.every((p) => p === undefined || (p.kind === 'scalar' && Number.isInteger(p.value)))) {
          const [start, stop, step] = parts.map((p) => (p ? (p as { value: number }).value : undefined));
          if (step === undefined || step === 1) return { kind: 'tuple', items: value.items.slice(start, stop) };
        }
        return UNKNOWN;
      }
      const i = this.eval(index[0], scope);
      if (i.kind === 'scalar' && typeof i.value === 'number' && Number.isInteger(i.value)) {
        const item = value.items[i.value < 0 ? value.items.length + i.value : i.value];
        return item ?? UNKNOWN;
      }
      return UNKNOWN;
    }
    if (value.kind === 'tensor') return this.opaqueTensorOp(node, [value.tensor], `slicing \`${node.text.slice(0, 60)}\``);
    return unknownFrom(value);
  }

  // ---- calls ----------------------------------------------------------------------------------

  private args(call: Node, scope: Scope): CallArgs {
    const list = call.childForFieldName('arguments');
    const result: CallArgs = { positional: [], keywords: new Map(), splat: false };
    if (list?.type !== 'argument_list') {
      // `f(x for x in ...)`: a generator argument.
      if (list) result.splat = true;
      return result;
    }
    for (const arg of children(list)) {
      if (arg.type === 'keyword_argument') {
        const name = arg.childForFieldName('name')?.text;
        const value = arg.childForFieldName('value');
        if (name && value) result.keywords.set(name, this.eval(value, scope));
      } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') result.splat = true;
      else if (arg.type !== 'comment') result.positional.push(this.eval(arg, scope));
    }
    return result;
  }

  private call(node: Node, scope: Scope): Value {
    const callee = this.eval(node.childForFieldName('function')!, scope);
    const args = this.args(node, scope);
    switch (callee.kind) {
      case 'ref':
        return this.callRef(callee.name, node, args, scope);
      case 'function':
        return this.inline(callee.node, callee.closure, args, false, node);
      case 'class':
        return this.instantiate(callee, node, args);
      case 'layer':
        return this.applyLayer(callee.layer, args, node);
      case 'model':
        return this.applyModel(callee.model, args, node);
      case 'opaque':
        return this.applyOpaque(callee, args, node);
      case 'method':
        return this.callMethod(callee.target, callee.name, args, node);
      default:
        return this.unknownCall(node, args, callee.kind === 'unknown' ? callee.reason : undefined);
    }
  }

  private callRef(name: string, node: Node, args: CallArgs, scope: Scope): Value {
    const role = kerasRole(name);
    if (role) {
      switch (role.role) {
        case 'layer':
          return this.createLayer(role.className, node, args);
        case 'merge': {
          const inputs = args.positional[0] ?? args.keywords.get('inputs');
          const layerArgs: CallArgs = { positional: [], keywords: new Map([...args.keywords].filter(([k]) => k !== 'inputs')), splat: args.splat };
          const layer = this.createLayer(role.className, node, layerArgs);
          return layer.kind === 'layer' && inputs ? this.applyLayer(layer.layer, { positional: [inputs], keywords: new Map(), splat: false }, node) : UNKNOWN;
        }
        case 'input':
          return this.input(node, args);
        case 'sequential':
          return this.sequential(node, args);
        case 'model':
          return this.functional(node, args);
        case 'application': {
          const weights = args.keywords.get('weights');
          const pretrained = !weights || !(weights.kind === 'scalar' && weights.value === null);
          return { kind: 'opaque', name: role.name, pretrained, node };
        }
        default:
          return UNKNOWN;
      }
    }
    if (name.startsWith('builtins.')) return this.builtin(name.slice('builtins.'.length), args, scope);
    return this.unknownCall(node, args, `${name}(...)`);
  }

  private builtin(name: string, args: CallArgs, _scope: Scope): Value {
    const [first] = args.positional;
    switch (name) {
      case 'int':
      case 'float':
        if (first?.kind === 'scalar' && typeof first.value === 'number') return { ...first, value: name === 'int' ? Math.trunc(first.value) : first.value };
        return UNKNOWN;
      case 'len':
        return first?.kind === 'tuple' ? scalar(first.items.length) : UNKNOWN;
      case 'list':
      case 'tuple':
        return first?.kind === 'tuple' ? first : UNKNOWN;
      case 'max':
      case 'min': {
        const values = args.positional.length === 1 && first?.kind === 'tuple' ? first.items : args.positional;
        if (values.length && values.every((v) => v.kind === 'scalar' && typeof v.value === 'number')) {
          const numbers = values.map((v) => (v as { value: number }).value);
          return scalar(name === 'max' ? Math.max(...numbers) : Math.min(...numbers));
        }
        return UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  /** A call DL Doctor does not follow: its tensor arguments still lead back to the layers before it. */
  private unknownCall(node: Node, args: CallArgs, what?: string): Value {
    const inputs = collectTensors([...args.positional, ...args.keywords.values()]);
    if (!inputs.length) return unknown(what);
    return this.opaqueTensorOp(node, inputs, `\`${(what ?? node.childForFieldName('function')?.text ?? 'call').slice(0, 60)}\` is not followed`);
  }

  private opaqueTensorOp(node: Node, inputs: SymTensor[], what: string): Value {
    const tally = new Tally();
    tally.problem(`line ${line(node)}: ${what}`);
    tally.macs = undefined;
    return { kind: 'tensor', tensor: { shape: UNKNOWN_SHAPE, producer: { inputs, tally } } };
  }

  private createLayer(className: string, node: Node, args: CallArgs): Value {
    this.layers++;
    const vias = new Set<string>();
    const toArg = (value: Value, depth = 0): ArgValue => {
      if (value.kind === 'scalar') {
        if (value.via) vias.add(value.via);
        return value.value;
      }
      if (value.kind === 'tuple' && depth < 4) return value.items.map((v) => toArg(v, depth + 1));
      if (value.kind === 'layer') return { kind: 'layer', className: value.layer.className, args: value.layer.args };
      return { kind: 'unknown', text: value.kind === 'unknown' && value.reason ? value.reason : '…' };
    };
    const positional = args.positional.map((v) => toArg(v));
    const keywords = new Map([...args.keywords].map(([k, v]) => [k, toArg(v)] as const));
    const texts = argumentTexts(node);
    const layerArgs: LayerArgs = {
      get: (position, name) => {
        if (keywords.has(name)) return withText(keywords.get(name)!, texts.get(name));
        if (position !== undefined && position < positional.length) return withText(positional[position], texts.get(position));
        // A `**kwargs` or `*args` could hold this argument: it does not resolve.
        if (args.splat) return { kind: 'unknown', text: `${name} (passed through *args/**kwargs?)` };
        return undefined;
      },
    };
    const declared = declaredInput(className, keywords);
    const layer = new LayerInstance(className, layerArgs, node, [...vias], declared);
    const trainable = keywords.get('trainable');
    if (trainable === false) layer.trainable = false;
    return { kind: 'layer', layer };
  }

  private input(node: Node, args: CallArgs): Value {
    const shapeValue = args.keywords.get('shape') ?? args.positional[0];
    const batchShape = args.keywords.get('batch_shape') ?? args.keywords.get('batch_input_shape');
    let shape: Shape | undefined;
    if (shapeValue) shape = toShape(shapeValue);
    else if (batchShape?.kind === 'tuple') shape = toShape({ kind: 'tuple', items: batchShape.items.slice(1) });
    if (!shape) {
      const tally = new Tally();
      tally.problem(`line ${line(node)}: the shape of keras.Input does not resolve`);
      tally.macs = undefined;
      return { kind: 'tensor', tensor: { shape: UNKNOWN_SHAPE, isInput: true, producer: { inputs: [], tally } } };
    }
    return { kind: 'tensor', tensor: { shape, isInput: true } };
  }

  private register(model: ModelValue): void {
    this.models.push({ model, ...(this.assumed ? { assumed: this.assumed } : {}) });
  }

  private sequential(node: Node, args: CallArgs): Value {
    const model = new SequentialModel(node);
    const list = args.positional[0] ?? args.keywords.get('layers');
    if (list?.kind === 'tuple') {
      for (const item of list.items) this.addToSequential(model, item, node);
    } else if (list && !(list.kind === 'scalar' && list.value === null)) {
      model.entries.push({ kind: 'unknown', what: 'the list of layers does not resolve', line: line(node) });
    }
    this.register(model);
    return { kind: 'model', model };
  }

  private addToSequential(model: SequentialModel, item: Value, node: Node): void {
    if (this.uncertainty) {
      // It may be added once, never or many times: neither it nor what follows it is counted.
      model.entries.push({ kind: 'unknown', what: `a layer is added where ${this.uncertainty}`, line: line(node) });
      return;
    }
    if (item.kind === 'layer') {
      if (item.layer.className === 'InputLayer' && model.entries.length === 0) {
        model.inputShape = item.layer.declaredInput ?? inputLayerShape(item.layer);
        if (!model.inputShape) model.entries.push({ kind: 'unknown', what: 'the InputLayer shape does not resolve', line: line(node) });
        return;
      }
      model.entries.push({ kind: 'layer', layer: item.layer });
    } else if (item.kind === 'model') {
      item.model.nested = true;
      model.entries.push({ kind: 'model', model: item.model });
    } else if (item.kind === 'tensor' && item.tensor.isInput && model.entries.length === 0 && !item.tensor.producer) {
      model.inputShape = item.tensor.shape;
    } else if (item.kind === 'opaque') {
      model.entries.push({ kind: 'unknown', what: `${item.name} is counted on its own, not as part of this model`, line: line(item.node) });
      model.pretrained.add(item.name);
    } else {
      model.entries.push({ kind: 'unknown', what: item.kind === 'unknown' && item.reason ? `${item.reason} is not a layer DL Doctor resolves` : 'an entry is not a layer DL Doctor resolves', line: line(node) });
    }
  }

  private functional(node: Node, args: CallArgs): Value {
    const inputs = args.keywords.get('inputs') ?? args.positional[0];
    const outputs = args.keywords.get('outputs') ?? args.positional[1];
    const ins = inputs ? collectTensors([inputs]) : [];
    const outs = outputs ? collectTensors([outputs]) : [];
    if (!outs.length) {
      // `keras.Model(...)` with outputs DL Doctor did not follow: nothing to count.
      return unknown(`keras.Model on line ${line(node)}`);
    }
    const model = new FunctionalModel(node, ins, outs);
    if (inputs && ins.length === 0) model.unresolvedInputs = true;
    this.register(model);
    return { kind: 'model', model };
  }

  private applyLayer(layer: LayerInstance, args: CallArgs, node: Node): Value {
    let inputs: SymTensor[] | undefined;
    if (layer.className === 'MultiHeadAttention') {
      const query = args.positional[0] ?? args.keywords.get('query');
      const value = args.positional[1] ?? args.keywords.get('value');
      const key = args.positional[2] ?? args.keywords.get('key');
      inputs = [query, value, key].filter((v): v is Value => !!v).map((v) => (v.kind === 'tensor' ? v.tensor : undefined)).filter((t): t is SymTensor => !!t);
      if (inputs.length !== [query, value, key].filter(Boolean).length) inputs = undefined;
    } else {
      const first = args.positional[0] ?? args.keywords.get('inputs');
      if (first?.kind === 'tensor') inputs = [first.tensor];
      else if (first?.kind === 'tuple' && first.items.length && first.items.every((i) => i.kind === 'tensor')) inputs = collectTensors(first.items);
    }
    if (!inputs) return this.unknownCall(node, args, `calling the ${layer.className} layer`);
    const outcome = layer.call(inputs.map((t) => t.shape));
    const tally = new Tally();
    tally.layers.add(layer);
    tally.addMacs(outcome.macs);
    // A layer fed by something that already did not resolve repeats that problem: name the cause only.
    const cascaded = inputs.every((t) => isUnknownShape(t.shape));
    if (!cascaded && layer.params === undefined) tally.problem(`line ${layer.line}: ${layer.problem}`);
    else if (!cascaded && outcome.problem) tally.problem(`line ${line(node)}: ${outcome.problem}`);
    if (cascaded && layer.params === undefined) tally.macs = undefined;
    // Tensors passed by keyword (`initial_state=encoder_states`) lead back to more layers of the model.
    const extra = collectTensors([...args.keywords.values(), ...args.positional.slice(1)]).filter((t) => !inputs.includes(t));
    const record: CallRecord = { inputs: [...inputs, ...extra], tally };
    const outs = outcome.outputs.map((shape): Value => ({ kind: 'tensor', tensor: { shape, producer: record } }));
    return outs.length === 1 ? outs[0] : { kind: 'tuple', items: outs };
  }

  private applyModel(model: ModelValue, args: CallArgs, node: Node, depth = 0): Value {
    const first = args.positional[0] ?? args.keywords.get('inputs');
    const inputs = first ? collectTensors([first]) : [];
    if (!inputs.length) return this.unknownCall(node, args, `calling the model built on line ${line(model.node)}`);
    model.nested = true;
    const result = model.apply(inputs.map((t) => t.shape), depth);
    const record: CallRecord = { inputs, tally: result.tally };
    const outs = result.outputs.map((shape): Value => ({ kind: 'tensor', tensor: { shape, producer: record } }));
    return outs.length === 1 ? outs[0] : { kind: 'tuple', items: outs };
  }

  private applyOpaque(model: Extract<Value, { kind: 'opaque' }>, args: CallArgs, node: Node): Value {
    const inputs = collectTensors([...args.positional, ...args.keywords.values()]);
    const tally = new Tally();
    tally.problem(`line ${line(model.node)}: ${model.name} is not counted here (a known architecture, estimated on its own)`);
    tally.macs = undefined;
    if (model.pretrained) tally.pretrained.add(model.name);
    if (!inputs.length) return unknown(`${model.name} called on line ${line(node)}`);
    return { kind: 'tensor', tensor: { shape: UNKNOWN_SHAPE, producer: { inputs, tally } } };
  }

  private callMethod(target: Value, name: string, args: CallArgs, node: Node): Value {
    if (target.kind === 'model' && target.model instanceof SequentialModel) {
      const model = target.model;
      if (name === 'add') {
        this.addToSequential(model, args.positional[0] ?? args.keywords.get('layer') ?? UNKNOWN, node);
        return scalar(null);
      }
      if (name === 'pop') {
        model.poisoned ??= `line ${line(node)}: model.pop() removes a layer`;
        return UNKNOWN;
      }
    }
    if (target.kind === 'model' && name === 'build') {
      const shape = args.positional[0] ?? args.keywords.get('input_shape');
      if (shape?.kind === 'tuple' && shape.items.length) {
        const built = toShape({ kind: 'tuple', items: shape.items.slice(1) });
        if (built && target.model instanceof SequentialModel && !this.uncertainty) target.model.inputShape ??= built;
        if (built && target.model instanceof SubclassedModel && !this.uncertainty) target.model.buildShape ??= built;
      }
      return scalar(null);
    }
    if (target.kind === 'object') {
      const method = findMethod(target.cls, name);
      if (method) {
        const closure = new Scope(this.module);
        closure.vars.set('self', target);
        return this.inline(method, closure, args, false, node, true);
      }
    }
    return this.unknownCall(node, args, `.${name}(...)`);
  }

  /** Runs a function of the script with these arguments (bounded depth, no recursion). */
  inline(def: Node, closure: Scope, args: CallArgs, standalone: boolean, call?: Node, isMethod = false): Value {
    this.followed.add(def);
    if (this.stack.length >= MAX_INLINE_DEPTH || this.stack.includes(def) || this.exhausted) return unknown(`a call to ${def.childForFieldName('name')?.text}()`);
    const scope = new Scope(closure);
    const params = children(def.childForFieldName('parameters'));
    const positional = [...args.positional];
    let index = 0;
    for (const param of params) {
      const name = paramName(param);
      if (!name) continue;
      if (isMethod && index === 0 && name === 'self') {
        scope.vars.set('self', closure.lookup('self') ?? UNKNOWN);
        index++;
        continue;
      }
      index++;
      if (param.type === 'list_splatter_pattern' || param.type === 'dictionary_splatter_pattern') {
        scope.vars.set(name, UNKNOWN);
        continue;
      }
      let value: Value | undefined;
      if (positional.length) value = positional.shift();
      else if (args.keywords.has(name)) value = args.keywords.get(name);
      else if (args.splat) value = unknown(`${name} (passed through *args/**kwargs)`);
      else if (param.type === 'default_parameter' || param.type === 'typed_default_parameter') {
        const fallback = this.eval(param.childForFieldName('value')!, closure);
        value = fallback.kind === 'scalar' ? { ...fallback, via: fallback.via ?? `${name}=${param.childForFieldName('value')!.text} default (line ${line(param)})` } : fallback;
        if (standalone && this.passedSomewhere(def, name, index - (isMethod ? 1 : 0) - 1)) value = unknown(`${name}, which a call in this file passes`);
      } else value = unknown(standalone ? `parameter ${name}` : undefined);
      scope.vars.set(name, value ?? UNKNOWN);
    }
    this.stack.push(def);
    const savedUncertainty = this.uncertainty;
    if (standalone) this.uncertainty = undefined;
    const signal = this.block(children(def.childForFieldName('body')), scope);
    this.uncertainty = savedUncertainty;
    this.stack.pop();
    void call;
    return signal?.type === 'return' ? signal.value : scalar(null);
  }

  /** Whether some call of this function in the file passes the parameter (so its default is not the value). */
  private passedSomewhere(def: Node, name: string, position: number): boolean {
    const fn = def.childForFieldName('name')?.text;
    return this.file.calls.some((call) => {
      if (this.file.calleeTail(call) !== fn) return false;
      if (this.file.hasSplat(call) || this.file.keywordArgument(call, name)) return true;
      return this.file.positionalArguments(call).length > position;
    });
  }

  private instantiate(cls: Extract<Value, { kind: 'class' }>, node: Node, args: CallArgs): Value {
    const kind = this.classKind(cls.node, 0);
    if (kind === 'layer') return this.createLayer(cls.node.childForFieldName('name')?.text ?? 'custom layer', node, args);
    if (kind !== 'model') return this.unknownCall(node, args, `${cls.node.childForFieldName('name')?.text}(...)`);
    const self: Extract<Value, { kind: 'object' }> = { kind: 'object', attrs: new Map(), cls: cls.node };
    const init = findMethod(cls.node, '__init__');
    if (init) {
      const closure = new Scope(cls.closure);
      closure.vars.set('self', self);
      this.inline(init, closure, args, false, node, true);
    }
    const model = new SubclassedModel(node, cls.node.childForFieldName('name')?.text ?? 'Model', (inputs) => this.runCall(self, inputs));
    this.register(model);
    return { kind: 'model', model };
  }

  /** Runs a subclassed model's `call` on symbolic inputs and adds up what its graph holds. */
  private runCall(self: Extract<Value, { kind: 'object' }>, shapes: Shape[]): { outputs: Shape[]; tally: Tally } {
    const method = findMethod(self.cls, 'call');
    const inputs: SymTensor[] = shapes.map((shape) => ({ shape, isInput: true }));
    if (!method || this.exhausted) {
      const tally = new Tally();
      tally.problem(`line ${line(self.cls)}: ${method ? 'the model is larger than DL Doctor follows' : 'the class has no call() method'}`);
      tally.macs = undefined;
      return { outputs: [UNKNOWN_SHAPE], tally };
    }
    const closure = new Scope(this.module);
    closure.vars.set('self', self);
    const argument: Value = inputs.length === 1 ? { kind: 'tensor', tensor: inputs[0] } : { kind: 'tuple', items: inputs.map((tensor) => ({ kind: 'tensor', tensor })) };
    const result = this.inline(method, closure, { positional: [argument], keywords: new Map(), splat: false }, false, undefined, true);
    const outputs = collectTensors([result]);
    if (!outputs.length) {
      const tally = new Tally();
      tally.problem(`line ${line(method)}: the value call() returns does not resolve`);
      tally.macs = undefined;
      // Layers created in __init__ still count as a lower bound once the call chain is lost? No:
      // Keras only builds the layers call() reaches, so nothing is claimed.
      return { outputs: [UNKNOWN_SHAPE], tally };
    }
    return { outputs: outputs.map((t) => t.shape), tally: tallyGraph(outputs, new Set(inputs)) };
  }

  /** 'model' for subclasses of keras.Model, 'layer' for keras.layers.Layer, through local base classes. */
  private classKind(cls: Node, depth: number): 'model' | 'layer' | undefined {
    if (depth > 8) return undefined;
    const bases = children(cls.childForFieldName('superclasses'));
    for (const base of bases) {
      const name = this.file.qualifiedName(base);
      const role = name ? kerasRole(name) : undefined;
      if (role?.role === 'model' || role?.role === 'sequential') return 'model';
      if (role?.role === 'layer-base') return 'layer';
      const local = base.type === 'identifier' ? this.module.lookup(base.text) : undefined;
      if (local?.kind === 'class') {
        const kind = this.classKind(local.node, depth + 1);
        if (kind) return kind;
      }
    }
    return undefined;
  }
}

// ---- helpers ------------------------------------------------------------------------------------

const NO_ARGS: LayerArgs = { get: () => undefined };

function scalar(value: number | boolean | null | string): Value {
  return { kind: 'scalar', value };
}

function unknown(reason?: string): Value {
  return reason ? { kind: 'unknown', reason } : UNKNOWN;
}

function unknownFrom(value: Value): Value {
  return value.kind === 'unknown' ? value : UNKNOWN;
}

function num(value: Value): number | undefined {
  return value.kind === 'scalar' && typeof value.value === 'number' ? value.value : undefined;
}

function line(node: Node): number {
  return node.startPosition.row + 1;
}

function children(node: Node | null | undefined): Node[] {
  return node ? node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') : [];
}

function unwrapDecorated(node: Node | undefined): Node | undefined {
  if (node?.type === 'decorated_definition') return node.childForFieldName('definition') ?? undefined;
  return node?.type === 'function_definition' || node?.type === 'class_definition' ? node : undefined;
}

function findMethod(cls: Node, name: string): Node | undefined {
  for (const statement of children(cls.childForFieldName('body'))) {
    const def = unwrapDecorated(statement);
    if (def?.type === 'function_definition' && def.childForFieldName('name')?.text === name) return def;
  }
  return undefined;
}

function hasMethod(cls: Node, name: string): boolean {
  return findMethod(cls, name) !== undefined;
}

function paramName(param: Node): string | undefined {
  if (param.type === 'identifier') return param.text;
  if (param.type === 'list_splatter_pattern' || param.type === 'dictionary_splatter_pattern') return param.namedChildren[0]?.text;
  return (param.childForFieldName('name') ?? param.namedChildren[0])?.text;
}

function sliceParts(slice: Node): (Node | undefined)[] {
  // tree-sitter's slice has no fields: split its children on the colons.
  const parts: (Node | undefined)[] = [undefined];
  for (let i = 0; i < slice.childCount; i++) {
    const child = slice.child(i);
    if (!child) continue;
    if (child.type === ':') parts.push(undefined);
    else if (child.isNamed) parts[parts.length - 1] = child;
  }
  while (parts.length < 3) parts.push(undefined);
  return parts;
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

function tensors(list: SymTensor[], asList: boolean): Value {
  if (!asList && list.length === 1) return { kind: 'tensor', tensor: list[0] };
  return { kind: 'tuple', items: list.map((tensor) => ({ kind: 'tensor', tensor })) };
}

/** Tensors in a value (a tensor, or a list/tuple of them, nested). */
function collectTensors(values: Value[], depth = 0): SymTensor[] {
  const found: SymTensor[] = [];
  for (const value of values) {
    if (value.kind === 'tensor') found.push(value.tensor);
    else if (value.kind === 'tuple' && depth < 4) found.push(...collectTensors(value.items, depth + 1));
  }
  return found;
}

/** A Keras shape tuple: `(28, 28, 1)`, `(None, 128)`; an int is a 1-tuple. */
function toShape(value: Value): Shape | undefined {
  const items = value.kind === 'tuple' ? value.items : value.kind === 'scalar' && typeof value.value === 'number' ? [value] : undefined;
  if (!items) return undefined;
  const dims: Dim[] = [];
  for (const item of items) {
    if (item.kind !== 'scalar') return undefined;
    if (item.value === null) dims.push(null);
    else if (typeof item.value === 'number' && Number.isInteger(item.value) && item.value >= 1 && item.value <= MAX_DIM) dims.push(item.value);
    else return undefined;
  }
  return closed(dims);
}

/** `input_shape=`, `batch_input_shape=`, `input_dim=` (Dense) and `input_length=` (Embedding) on a layer. */
function declaredInput(className: string, keywords: Map<string, ArgValue>): Shape | undefined {
  const asValue = (arg: ArgValue | undefined): Value | undefined => {
    if (arg === undefined) return undefined;
    if (Array.isArray(arg)) return { kind: 'tuple', items: arg.map((a) => asValue(a) ?? UNKNOWN) };
    if (typeof arg === 'object' && arg !== null) return UNKNOWN;
    return { kind: 'scalar', value: arg };
  };
  const inputShape = asValue(keywords.get('input_shape'));
  if (inputShape) return toShape(inputShape) ?? UNKNOWN_SHAPE;
  const batch = asValue(keywords.get('batch_input_shape') ?? keywords.get('batch_shape'));
  if (batch?.kind === 'tuple') return toShape({ kind: 'tuple', items: batch.items.slice(1) }) ?? UNKNOWN_SHAPE;
  const inputDim = asValue(keywords.get('input_dim'));
  if (inputDim && className !== 'Embedding') return toShape({ kind: 'tuple', items: [inputDim] }) ?? UNKNOWN_SHAPE;
  if (className === 'Embedding') {
    const length = asValue(keywords.get('input_length'));
    if (length) return toShape({ kind: 'tuple', items: [length] }) ?? UNKNOWN_SHAPE;
  }
  return undefined;
}

function inputLayerShape(layer: LayerInstance): Shape | undefined {
  const shape = layer.args.get(0, 'shape') ?? layer.args.get(undefined, 'input_shape');
  if (!Array.isArray(shape)) return undefined;
  const dims: Dim[] = [];
  for (const d of shape) {
    if (d === null) dims.push(null);
    else if (typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= MAX_DIM) dims.push(d);
    else return undefined;
  }
  return closed(dims);
}

/** Source text of each argument by position and keyword, so notes can quote what did not resolve. */
function argumentTexts(call: Node): Map<string | number, string> {
  const texts = new Map<string | number, string>();
  const list = call.childForFieldName('arguments');
  let position = 0;
  for (const arg of children(list)) {
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name')?.text;
      const value = arg.childForFieldName('value')?.text;
      if (name && value) texts.set(name, value.slice(0, 60));
    } else if (arg.type !== 'list_splat' && arg.type !== 'dictionary_splat') texts.set(position++, arg.text.slice(0, 60));
  }
  return texts;
}

function withText(value: ArgValue, text: string | undefined): ArgValue {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'unknown' && text) return { kind: 'unknown', text };
  return value;
}
