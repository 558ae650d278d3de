import type { Node } from 'web-tree-sitter';
import type { ModelBuilder } from './interpreter';

/**
 * The values the static model builder works with: what a Python expression in a model's `__init__`
 * stands for. Modules and tensors carry an identity (`id`) because PyTorch's `parameters()` yields
 * each parameter once, however often a module or tensor is registered (weight tying, shared blocks).
 */

export interface TensorValue {
  kind: 'tensor';
  id: number;
  /** Element count; every dimension resolved. */
  numel: number;
  /** True for `nn.Parameter(...)` (and the weights of built-in layers). */
  parameter: boolean;
}

/** A resolved layer configuration, kept so that shapes can be propagated through it. */
export interface LayerSpec {
  type: string;
  args: Record<string, Value>;
}

export interface ModuleValue {
  kind: 'module';
  id: number;
  /** Class name as written: `Linear`, `Net`. */
  type: string;
  /** A torch.nn class, not one defined in the script. */
  builtin: boolean;
  /** Own parameters by attribute name, in registration order. */
  params: Map<string, TensorValue>;
  /** Registered submodules by attribute name, in registration order. */
  children: Map<string, ModuleValue>;
  /** Other attributes (`self.hidden = hidden`). */
  attrs: Map<string, Value>;
  /** What did not resolve while this module was built, one note each; the count is then a lower bound. */
  unresolved: string[];
  layer?: LayerSpec;
  /** The class a custom module was built from (its `forward` is read for shapes). */
  classNode?: Node;
  /** The builder of the file that defines the class (names in its methods resolve there). */
  builder?: ModelBuilder;
}

export interface ListValue {
  kind: 'list';
  items: Value[];
}

/** A dict or OrderedDict with string keys, in insertion order. */
export interface DictValue {
  kind: 'dict';
  entries: Map<string, Value>;
}

/** A class defined in the script. */
export interface ClassValue {
  kind: 'class';
  name: string;
  node: Node;
  /** The builder of the file that defines it (another workspace module for imported classes). */
  builder?: ModelBuilder;
}

/** A function or method defined in the script, bound to `self` when read from an instance. */
export interface FunctionValue {
  kind: 'function';
  name: string;
  node: Node;
  self?: ModuleValue;
  /** The class whose body defines the method (for `super()`). */
  owner?: ClassValue;
  builder?: ModelBuilder;
}

/** A name from a library, by its dotted name (`torch.nn.Linear`, `builtins.range`). */
export interface RefValue {
  kind: 'ref';
  qualified: string;
}

/** Something that did not resolve. `module` marks results that may well be a module (calls, mostly). */
export interface UnknownValue {
  kind: 'unknown';
  why: string;
  module?: boolean;
}

export type Value =
  | number
  | string
  | boolean
  | null
  | TensorValue
  | ModuleValue
  | ListValue
  | DictValue
  | ClassValue
  | FunctionValue
  | RefValue
  | UnknownValue;

export function unknown(why: string, module = false): UnknownValue {
  return module ? { kind: 'unknown', why, module } : { kind: 'unknown', why };
}

export function isObject<K extends Exclude<Value, number | string | boolean | null>['kind']>(
  value: Value | undefined,
  kind: K,
): value is Extract<Value, { kind: K }> {
  return typeof value === 'object' && value !== null && value.kind === kind;
}

/** Identities for modules and tensors; one counter per build keeps ids small and unique. */
export class Ids {
  private next = 1;
  take(): number {
    return this.next++;
  }
}

export function newModule(ids: Ids, type: string, builtin: boolean): ModuleValue {
  return { kind: 'module', id: ids.take(), type, builtin, params: new Map(), children: new Map(), attrs: new Map(), unresolved: [] };
}

export function newTensor(ids: Ids, numel: number, parameter: boolean): TensorValue {
  return { kind: 'tensor', id: ids.take(), numel, parameter };
}

/** Depth bound for walks over module trees (a tree built by the interpreter is bounded too). */
const MAX_TREE_DEPTH = 200;

export interface ParameterCount {
  count: number;
  /** Notes of every module reached, in order, each once. */
  unresolved: string[];
}

/** `sum(p.numel() for p in model.parameters())`: each tensor once, each module visited once. */
export function countParameters(root: ModuleValue): ParameterCount {
  const seenModules = new Set<number>();
  const seenTensors = new Set<number>();
  const unresolved: string[] = [];
  let count = 0;
  const visit = (module: ModuleValue, depth: number): void => {
    if (seenModules.has(module.id)) return;
    seenModules.add(module.id);
    if (depth > MAX_TREE_DEPTH) {
      unresolved.push('modules nested too deeply to count');
      return;
    }
    for (const note of module.unresolved) if (!unresolved.includes(note)) unresolved.push(note);
    for (const tensor of module.params.values()) {
      if (seenTensors.has(tensor.id)) continue;
      seenTensors.add(tensor.id);
      count += tensor.numel;
    }
    for (const child of module.children.values()) visit(child, depth + 1);
  };
  visit(root, 0);
  return { count, unresolved };
}

/** Every module reachable from `root` (each once), for lookups such as "which module owns this tensor". */
export function modulesOf(root: ModuleValue): ModuleValue[] {
  const seen = new Set<number>();
  const out: ModuleValue[] = [];
  const stack: Array<[ModuleValue, number]> = [[root, 0]];
  while (stack.length) {
    const [module, depth] = stack.pop()!;
    if (seen.has(module.id) || depth > MAX_TREE_DEPTH) continue;
    seen.add(module.id);
    out.push(module);
    for (const child of module.children.values()) stack.push([child, depth + 1]);
  }
  return out;
}

/**
 * `copy.deepcopy(module)`: new identities for every module and tensor, sharing inside the copy kept
 * (as deepcopy's memo keeps it). Used for `nn.TransformerEncoder(layer, N)`'s N clones.
 */
export function cloneModule(ids: Ids, root: ModuleValue): ModuleValue {
  const modules = new Map<number, ModuleValue>();
  const tensors = new Map<number, TensorValue>();
  const cloneTensor = (t: TensorValue): TensorValue => {
    let copy = tensors.get(t.id);
    if (!copy) {
      copy = { ...t, id: ids.take() };
      tensors.set(t.id, copy);
    }
    return copy;
  };
  const clone = (m: ModuleValue, depth: number): ModuleValue => {
    const existing = modules.get(m.id);
    if (existing) return existing;
    const copy: ModuleValue = { ...m, id: ids.take(), params: new Map(), children: new Map(), attrs: new Map(m.attrs), unresolved: [...m.unresolved] };
    modules.set(m.id, copy);
    for (const [name, t] of m.params) copy.params.set(name, cloneTensor(t));
    if (depth < MAX_TREE_DEPTH) for (const [name, child] of m.children) copy.children.set(name, clone(child, depth + 1));
    return copy;
  };
  return clone(root, 0);
}

/** Counts tensors and modules of a tree, to keep clones within the build's size budget. */
export function treeSize(root: ModuleValue): number {
  let size = 0;
  for (const m of modulesOf(root)) size += 1 + m.params.size;
  return size;
}
