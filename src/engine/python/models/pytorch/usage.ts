import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../../python-file';
import { named, type ModelBuilder } from './interpreter';
import { isObject, modulesOf, type ModuleValue } from './module-values';

/**
 * What the script does with a model after building it, as far as the parameter count and MACs care:
 * the input it feeds it (`summary(model, (1, 28, 28))`, `model(torch.randn(1, 3, 32, 32))`) and the
 * parts it freezes (`for p in model.backbone.parameters(): p.requires_grad = False`).
 */

const TENSOR_FACTORIES = new Set(['torch.randn', 'torch.rand', 'torch.zeros', 'torch.ones', 'torch.empty']);

/** The variable a construction is assigned to: `model = Net().to(device)` → `model`. */
export function modelVariable(call: Node): string | undefined {
  let node: Node = call;
  for (let i = 0; i < 4 && node.parent?.type === 'attribute' && node.parent.parent?.type === 'call'; i++) node = node.parent.parent;
  const parent = node.parent;
  if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== node.id) return undefined;
  const left = parent.childForFieldName('left');
  return left?.type === 'identifier' ? left.text : undefined;
}

export interface InputShape {
  shape: number[];
  via: string;
}

/** One sample's shape from the code: torchsummary/torchinfo `summary`, or a dummy tensor the model is called on. */
export function inputShapeFromCode(file: PythonFile, construction: Node, builder: ModelBuilder): InputShape | undefined {
  const variable = modelVariable(construction);
  if (!variable) return undefined;
  for (const call of file.calls) {
    if (call.startIndex < construction.endIndex) continue;
    const qualified = file.calleeName(call) ?? '';
    const args = file.positionalArguments(call);
    const line = `line ${call.startPosition.row + 1}`;
    if (/^(torchsummary|torchinfo)\.summary$/.test(qualified) && args[0]?.text === variable) {
      const sizeNode = args[1] ?? file.keywordArgument(call, 'input_size');
      const dims = sizeNode && numbers(builder, sizeNode);
      if (!dims) continue;
      // torchsummary takes one sample's shape; torchinfo's input_size includes the batch.
      const shape = qualified.startsWith('torchinfo') ? dims.slice(1) : dims;
      if (shape.length) return { shape, via: `${qualified} (${line})` };
      continue;
    }
    const fn = call.childForFieldName('function');
    const calledDirectly = fn?.type === 'identifier' && fn.text === variable && args.length === 1;
    const exported = qualified === 'torch.onnx.export' && args[0]?.text === variable;
    if (!calledDirectly && !exported) continue;
    const dims = dummyTensorShape(file, calledDirectly ? args[0] : args[1], builder);
    if (dims && dims.length >= 2) return { shape: dims.slice(1), via: `the tensor passed to ${variable} (${line})` };
  }
  return undefined;
}

function dummyTensorShape(file: PythonFile, node: Node | undefined, builder: ModelBuilder): number[] | undefined {
  if (!node) return undefined;
  let factory = node;
  if (node.type === 'identifier') {
    const assigned = file.assignments.filter((a) => a.childForFieldName('left')?.text === node.text);
    if (assigned.length !== 1) return undefined;
    factory = assigned[0].childForFieldName('right')!;
    // `x = torch.randn(...).to(device)`
    for (let i = 0; i < 3 && factory.type === 'call' && factory.childForFieldName('function')?.type === 'attribute' && !TENSOR_FACTORIES.has(file.calleeName(factory) ?? ''); i++) {
      const inner = factory.childForFieldName('function')!.childForFieldName('object');
      if (inner?.type !== 'call' || !['to', 'cuda'].includes(factory.childForFieldName('function')!.childForFieldName('attribute')?.text ?? '')) return undefined;
      factory = inner;
    }
  }
  if (factory.type !== 'call' || !TENSOR_FACTORIES.has(file.calleeName(factory) ?? '')) return undefined;
  const args = file.positionalArguments(factory);
  if (args.length === 1 && (args[0].type === 'tuple' || args[0].type === 'list')) return numbers(builder, args[0]);
  const dims = args.map((a) => builder.evaluate(a, builder.moduleFrame([]), 0));
  return dims.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0) ? (dims as number[]) : undefined;
}

function numbers(builder: ModelBuilder, node: Node): number[] | undefined {
  const value = builder.evaluate(node, builder.moduleFrame([]), 0);
  if (!isObject(value, 'list') || !value.items.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)) return undefined;
  return value.items as number[];
}

export interface Trainable {
  count: number;
  note: string;
}

/**
 * Parameters left to train when the script freezes parts of the model with
 * `for p in model.part.parameters(): p.requires_grad = False` or `model.part.requires_grad_(False)`.
 * Only when every `requires_grad` in the file is one of these on this model; otherwise nothing.
 */
export function trainableAfterFreezing(file: PythonFile, construction: Node, model: ModuleValue, builder: ModelBuilder): Trainable | undefined {
  const variable = modelVariable(construction);
  if (!variable || !file.text.includes('requires_grad')) return undefined;
  const frozen: ModuleValue[] = [];
  const parts: string[] = [];
  for (const id of [...file.identifiersNamed('requires_grad'), ...file.identifiersNamed('requires_grad_')]) {
    const part = freezing(id, variable, model, builder);
    if (!part) return undefined;
    frozen.push(part.module);
    parts.push(`${part.path} (line ${id.startPosition.row + 1})`);
  }
  if (!frozen.length) return undefined;
  const frozenTensors = new Set<number>();
  for (const m of frozen) for (const sub of modulesOf(m)) for (const t of sub.params.values()) frozenTensors.add(t.id);
  let trainable = 0;
  const seen = new Set<number>();
  for (const m of modulesOf(model)) {
    for (const t of m.params.values()) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      if (!frozenTensors.has(t.id)) trainable += t.numel;
    }
  }
  return { count: trainable, note: `${trainable.toLocaleString('en-US')} parameters train; frozen: ${parts.join(', ')}.` };
}

/** The module one `requires_grad` use freezes, or undefined when the use is anything else. */
function freezing(id: Node, variable: string, model: ModuleValue, builder: ModelBuilder): { module: ModuleValue; path: string } | undefined {
  const attribute = id.parent;
  if (attribute?.type !== 'attribute' || attribute.childForFieldName('attribute')?.id !== id.id) return undefined;
  const object = attribute.childForFieldName('object')!;
  if (id.text === 'requires_grad_') {
    // model.part.requires_grad_(False)
    const call = attribute.parent;
    if (call?.type !== 'call' || call.childForFieldName('function')?.id !== attribute.id) return undefined;
    const args = named(call.childForFieldName('arguments'));
    if (args.length !== 1 || args[0].type !== 'false' || attribute.parent?.parent?.type !== 'expression_statement') return undefined;
    const module = resolvePath(object, variable, model, builder);
    return module && { module, path: object.text };
  }
  // for p in model.part.parameters(): p.requires_grad = False
  const assignment = attribute.parent;
  if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.id !== attribute.id || assignment.childForFieldName('right')?.type !== 'false') return undefined;
  const loop = assignment.parent?.parent?.parent;
  if (loop?.type !== 'for_statement' || loop.childForFieldName('left')?.text !== object.text || named(loop.childForFieldName('body')).length !== 1) return undefined;
  const iterable = loop.childForFieldName('right');
  const fn = iterable?.type === 'call' ? iterable.childForFieldName('function') : undefined;
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'parameters' || named(iterable!.childForFieldName('arguments')).length) return undefined;
  const owner = fn.childForFieldName('object')!;
  const module = resolvePath(owner, variable, model, builder);
  return module && { module, path: owner.text };
}

/** `model`, `model.backbone`, `model.features[0]`? Only attribute chains rooted at the model's variable. */
function resolvePath(node: Node, variable: string, model: ModuleValue, builder: ModelBuilder): ModuleValue | undefined {
  if (node.type === 'identifier') return node.text === variable ? model : undefined;
  if (node.type !== 'attribute') return undefined;
  const owner = resolvePath(node.childForFieldName('object')!, variable, model, builder);
  if (!owner) return undefined;
  const child = builder.getAttribute(owner, node.childForFieldName('attribute')!.text, node.text);
  return isObject(child, 'module') ? child : undefined;
}

/** Methods that change a module's children when called on it after construction. */
const EDITING_METHODS = new Set(['append', 'extend', 'insert', 'add_module', 'register_module', 'register_parameter']);

/**
 * Statements after the construction that change the model in place (`model.fc = nn.Linear(512, 2)`,
 * `model.classifier[-1] = ...`, `model.layers.append(...)`), in order, up to a reassignment of its
 * variable. Undefined when an edit sits under a branch or loop or in a nested function: whether it
 * runs is unknown, so no count would be certain.
 */
export function laterEdits(file: PythonFile, construction: Node, scope: Node): Node[] | undefined {
  const variable = modelVariable(construction);
  if (!variable) return [];
  const blocks = new Set<number>();
  for (let p: Node | null = construction.parent; p && p.id !== scope.parent?.id; p = p.parent) if (p.type === 'block' || p.type === 'module') blocks.add(p.id);
  const edits: Node[] = [];
  for (const id of file.identifiersNamed(variable)) {
    if (id.startIndex <= construction.endIndex || id.startIndex < scope.startIndex || id.endIndex > scope.endIndex) continue;
    if (nestedDefinition(id, scope)) continue;
    let node = id;
    while (node.parent && ((node.parent.type === 'attribute' && node.parent.childForFieldName('object')?.id === node.id) || (node.parent.type === 'subscript' && node.parent.childForFieldName('value')?.id === node.id))) {
      node = node.parent;
    }
    const parent = node.parent;
    const assigned = parent?.type === 'assignment' && parent.childForFieldName('left')?.id === node.id;
    if (assigned && node.id === id.id) break; // `model = ...` again: later edits are to another object
    const method = node.type === 'attribute' ? node.childForFieldName('attribute')?.text : undefined;
    const called = parent?.type === 'call' && parent.childForFieldName('function')?.id === node.id && method !== undefined && EDITING_METHODS.has(method) && node.id !== id.id;
    if (!(assigned && node.id !== id.id) && !called) continue;
    const statement = parent!.parent;
    if (statement?.type !== 'expression_statement' || !statement.parent || !blocks.has(statement.parent.id)) return undefined;
    edits.push(statement);
  }
  return edits;
}

function nestedDefinition(node: Node, scope: Node): boolean {
  for (let p = node.parent; p && p.id !== scope.id; p = p.parent) if (p.type === 'function_definition' || p.type === 'class_definition' || p.type === 'lambda') return true;
  return false;
}
