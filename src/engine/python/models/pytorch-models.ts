import type { Node } from 'web-tree-sitter';
import type { ModelEstimate } from '../../cost/model-estimate';
import type { PythonFile } from '../python-file';
import { BudgetExceeded, BuildRun, ModelBuilder, named, torchNnClass, type Frame } from './pytorch/interpreter';
import { countParameters, isObject, modulesOf, unknown, type ModuleValue, type Value } from './pytorch/module-values';
import { ShapeWalker } from './pytorch/shapes';
import { inputShapeFromCode, laterEdits, modelVariable, trainableAfterFreezing } from './pytorch/usage';

/** Notes about what did not resolve, at most this many (the rest summed up). */
const MAX_UNRESOLVED_NOTES = 6;
/** Counts beyond this are no real model and not exact in floating point: no estimate. */
const MAX_COUNT = 1e15;
/** Constructions looked at per file. */
const MAX_CONSTRUCTIONS = 50;

/** Uses of a variable that show it holds a model (for `nn.Sequential` built at script level). */
const MODEL_USES = new Set(['parameters', 'named_parameters', 'train', 'eval', 'to', 'cuda', 'state_dict', 'load_state_dict', 'forward', 'zero_grad', 'apply']);

/**
 * The PyTorch models a script builds, with their parameter counts worked out from the code: every
 * instantiation of an `nn.Module` subclass defined in the file (outside another module's own code),
 * and every `nn.Sequential` the script builds and then uses as a model. Exact when every layer's
 * arguments resolve; otherwise a lower bound with notes naming what did not resolve; nothing when
 * nothing does. `sampleShape` (one sample, channels first) adds MACs when the forward pass is a chain.
 */
export function pytorchModels(file: PythonFile, sampleShape?: number[]): ModelEstimate[] {
  if (!file.text.includes('torch')) return [];
  // Rules and the code lens ask for the same file's models: worked out once per file and shape.
  const key = `pytorch-models:${sampleShape?.join('x') ?? ''}`;
  const cached = file.memo.get(key) as ModelEstimate[] | undefined;
  if (cached) return cached;
  const run = new BuildRun();
  const estimates: ModelEstimate[] = [];
  try {
    for (const call of constructions(file, new ModelBuilder(file, run)).slice(0, MAX_CONSTRUCTIONS)) {
      const estimate = estimateOne(file, call, sampleShape);
      if (estimate) estimates.push(estimate);
    }
  } finally {
    run.dispose();
  }
  file.memo.set(key, estimates);
  return estimates;
}

function estimateOne(file: PythonFile, call: Node, sampleShape: number[] | undefined): ModelEstimate | undefined {
  const run = new BuildRun();
  try {
    return estimateWith(new ModelBuilder(file, run), file, call, sampleShape);
  } finally {
    run.dispose();
  }
}

function estimateWith(builder: ModelBuilder, file: PythonFile, call: Node, sampleShape: number[] | undefined): ModelEstimate | undefined {
  const scope = enclosingFunction(call);
  const frame: Frame = { locals: new Map(), notes: [] };
  let model: Value;
  try {
    const body = scope ? scope.childForFieldName('body') : file.root;
    // Inside a function, its parameters and every name it assigns are its own: unknown unless the
    // statements before the construction set them (never a module constant of the same name).
    for (let fn = scope; fn; fn = enclosingFunction(fn)) for (const name of localNames(fn)) if (!frame.locals.has(name)) frame.locals.set(name, unknown(`${name} (a local of ${fn.childForFieldName('name')?.text ?? 'a function'})`, true));
    if (body) builder.runPrefix(call, body, frame, !scope);
    model = builder.evaluate(call, frame, 0);
    if (!isObject(model, 'module') || !body) return undefined;
    const edits = laterEdits(file, call, body);
    if (!edits) return undefined;
    const variable = modelVariable(call)!;
    for (const edit of edits) {
      frame.locals.set(variable, model);
      builder.execute(edit, frame);
    }
  } catch (error) {
    // The step budget ran out, or the code was beyond what is followed: no estimate rather than a guess.
    if (error instanceof BudgetExceeded || error instanceof RangeError) return undefined;
    throw error;
  }
  const { count, unresolved } = countParameters(model);
  const missing = [...unresolved, ...frame.notes];
  if (count === 0 || !Number.isSafeInteger(count) || count > MAX_COUNT) return undefined;
  const notes = [derivation(model, count)];
  if (builder.vias.size) notes.push(`Arguments: ${[...builder.vias].slice(0, 8).join('; ')}.`);
  if (missing.length) {
    const shown = missing.slice(0, MAX_UNRESOLVED_NOTES);
    notes.push(...shown.map((m) => `Not counted: ${m}.`));
    if (missing.length > shown.length) notes.push(`Not counted: ${missing.length - shown.length} more that did not resolve.`);
  }
  const estimate: ModelEstimate = {
    range: file.range(call),
    name: model.type,
    framework: 'pytorch',
    parameters: { count, exact: missing.length === 0 },
    pretrained: false,
    notes,
  };
  if (missing.length === 0) {
    const trainable = trainableAfterFreezing(file, call, model, builder);
    if (trainable) {
      estimate.trainableParameters = trainable.count;
      notes.push(trainable.note);
    }
    const input = sampleShape ? { shape: sampleShape, via: 'the sample shape given' } : inputShapeFromCode(file, call, builder);
    const result = input && new ShapeWalker(file, builder).run(model, input.shape);
    if (input && result) {
      estimate.inputShape = [...input.shape];
      estimate.macsPerSample = result.macs;
      notes.push(
        `≈${result.macs.toLocaleString('en-US')} MACs per sample of shape (${input.shape.join(', ')}) from ${input.via}: multiply-accumulates of Linear and convolution layers only (activations, normalisation and pooling not counted).`,
      );
    }
  }
  return estimate;
}

function derivation(model: ModuleValue, count: number): string {
  const modules = modulesOf(model);
  const tensors = new Set<number>();
  let registered = 0;
  for (const m of modules) for (const t of m.params.values()) {
    tensors.add(t.id);
    registered++;
  }
  const layers = modules.filter((m) => m.builtin && m.params.size > 0).length;
  const what = model.builtin ? `the layers of this nn.${model.type}` : `the layers ${model.type} builds in __init__`;
  let text = `${count.toLocaleString('en-US')} parameters counted from ${what} (${layers} layer${layers === 1 ? '' : 's'} with parameters, ${tensors.size} parameter tensor${tensors.size === 1 ? '' : 's'}).`;
  if (registered > tensors.size) text += ' Shared modules and tied weights are counted once, as model.parameters() yields them.';
  return text;
}

/** Calls that build a model: outermost instantiations of the file's module classes, and used nn.Sequential. */
function constructions(file: PythonFile, builder: ModelBuilder): Node[] {
  const found: Node[] = [];
  const helpersUsedByModules = new Map<string, boolean>();
  for (const call of file.calls) {
    const fn = call.childForFieldName('function');
    if (!fn) continue;
    let sequential = false;
    // A module class of this file, or of a workspace module it imports (`from models import Net`).
    const cls = fn.type !== 'identifier' ? undefined : file.imports.has(fn.text) ? builder.evaluate(fn, builder.moduleFrame([]), 0) : builder.classNamed(fn.text);
    if (isObject(cls, 'class')) {
      if (!(cls.builder ?? builder).isModuleClass(cls)) continue;
    } else {
      const qualified = file.calleeName(call);
      if (!qualified || torchNnClass(qualified) !== 'Sequential') continue;
      sequential = true;
    }
    if (insideModuleClass(call, builder)) continue;
    const fnScope = topLevelFunction(call);
    if (fnScope && calledFromModule(fnScope, file, builder, helpersUsedByModules)) continue;
    if (sequential && !usedAsModel(file, call)) continue;
    found.push(call);
  }
  const ids = new Set(found.map((c) => c.id));
  return found.filter((call) => {
    for (let p = call.parent; p; p = p.parent) if (ids.has(p.id)) return false;
    return true;
  });
}

function insideModuleClass(node: Node, builder: ModelBuilder): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type !== 'class_definition') continue;
    const name = p.childForFieldName('name')?.text;
    const cls = name ? builder.classNamed(name) : undefined;
    if (!cls || cls.node.id !== p.id || builder.isModuleClass(cls)) return true;
  }
  return false;
}

function enclosingFunction(node: Node): Node | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
  return undefined;
}

function topLevelFunction(node: Node): Node | undefined {
  let found: Node | undefined;
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') found = p;
  return found;
}

/** A helper such as `def conv_block(i, o): return ConvBlock(i, o)` that module classes call builds parts, not models. */
function calledFromModule(fn: Node, file: PythonFile, builder: ModelBuilder, memo: Map<string, boolean>): boolean {
  const name = fn.childForFieldName('name')?.text;
  if (!name) return false;
  let result = memo.get(name);
  if (result === undefined) {
    result = file.identifiersNamed(name).some((id) => id.parent?.type === 'call' && id.parent.childForFieldName('function')?.id === id.id && insideModuleClass(id, builder));
    memo.set(name, result);
  }
  return result;
}

/** `model = nn.Sequential(...)` (maybe `.to(device)`) whose variable is then trained, called or saved. */
function usedAsModel(file: PythonFile, call: Node): boolean {
  let node: Node = call;
  for (let i = 0; i < 4 && node.parent; i++) {
    const parent = node.parent;
    if (parent.type === 'attribute' && parent.parent?.type === 'call') node = parent.parent;
    else break;
  }
  const parent = node.parent;
  if (parent?.type === 'return_statement') return true;
  if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== node.id) return false;
  const left = parent.childForFieldName('left');
  if (left?.type !== 'identifier') return false;
  return file.identifiersNamed(left.text).some((id) => {
    if (id.startIndex <= left.startIndex) return false;
    const up = id.parent;
    if (up?.type === 'attribute' && up.childForFieldName('object')?.id === id.id) return MODEL_USES.has(up.childForFieldName('attribute')?.text ?? '');
    if (up?.type === 'call' && up.childForFieldName('function')?.id === id.id) return true;
    return up?.type === 'argument_list' && named(up.parent?.childForFieldName('function') ?? null).length >= 0 && /summary|export/.test(up.parent?.childForFieldName('function')?.text ?? '');
  });
}

/** A function's parameters and the names it assigns (Python's local scope), bounded. */
function localNames(fn: Node): Set<string> {
  const names = new Set<string>();
  for (const param of named(fn.childForFieldName('parameters'))) {
    const id = param.type === 'identifier' ? param : (param.childForFieldName('name') ?? named(param).find((c) => c.type === 'identifier'));
    if (id) names.add(id.text);
  }
  const walk = (node: Node, depth: number): void => {
    if (depth > 64) return;
    for (const child of named(node)) {
      if (child.type === 'function_definition' || child.type === 'class_definition' || child.type === 'lambda') {
        const name = child.childForFieldName('name')?.text;
        if (name) names.add(name);
        continue;
      }
      if (child.type === 'assignment' || child.type === 'augmented_assignment' || child.type === 'for_statement') {
        const left = child.childForFieldName('left');
        const targets = left?.type === 'identifier' ? [left] : named(left).filter((c) => c.type === 'identifier');
        for (const t of targets) names.add(t.text);
      }
      walk(child, depth + 1);
    }
  };
  const body = fn.childForFieldName('body');
  if (body) walk(body, 0);
  return names;
}
