/**
 * Small helpers of the Keras interpreter: tree-sitter navigation, Python arithmetic, and turning
 * resolved values into Keras shapes (`input_shape=(28, 28, 1)`, `keras.Input(shape=...)`).
 */
import type { Node } from 'web-tree-sitter';
import type { LayerInstance, SymTensor } from './graph';
import type { ArgValue, LayerArgs } from './layer-args';
import { closed, MAX_DIM, UNKNOWN_SHAPE, type Dim, type Shape } from './shapes';
import { UNKNOWN, type Value } from './values';

export const NO_ARGS: LayerArgs = { get: () => undefined };

export function scalar(value: number | boolean | null | string): Value {
  return { kind: 'scalar', value };
}

export function unknown(reason?: string): Value {
  return reason ? { kind: 'unknown', reason } : UNKNOWN;
}

export function unknownFrom(value: Value): Value {
  return value.kind === 'unknown' ? value : UNKNOWN;
}

export function num(value: Value): number | undefined {
  return value.kind === 'scalar' && typeof value.value === 'number' ? value.value : undefined;
}

export function line(node: Node): number {
  return node.startPosition.row + 1;
}

export function children(node: Node | null | undefined): Node[] {
  return node ? node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') : [];
}

export function unwrapDecorated(node: Node | undefined): Node | undefined {
  if (node?.type === 'decorated_definition') return node.childForFieldName('definition') ?? undefined;
  return node?.type === 'function_definition' || node?.type === 'class_definition' ? node : undefined;
}

export function findMethod(cls: Node, name: string): Node | undefined {
  for (const statement of children(cls.childForFieldName('body'))) {
    const def = unwrapDecorated(statement);
    if (def?.type === 'function_definition' && def.childForFieldName('name')?.text === name) return def;
  }
  return undefined;
}

export function hasMethod(cls: Node, name: string): boolean {
  return findMethod(cls, name) !== undefined;
}

export function paramName(param: Node): string | undefined {
  if (param.type === 'identifier') return param.text;
  if (param.type === 'list_splatter_pattern' || param.type === 'dictionary_splatter_pattern') return param.namedChildren[0]?.text;
  return (param.childForFieldName('name') ?? param.namedChildren[0])?.text;
}

export function sliceParts(slice: Node): (Node | undefined)[] {
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

/** Python arithmetic on two numbers: one definition for every evaluator. */
export { arithmetic } from '../../values';

export function tensors(list: SymTensor[], asList: boolean): Value {
  if (!asList && list.length === 1) return { kind: 'tensor', tensor: list[0] };
  return { kind: 'tuple', items: list.map((tensor) => ({ kind: 'tensor', tensor })) };
}

/** Tensors in a value (a tensor, or a list/tuple of them, nested). */
export function collectTensors(values: Value[], depth = 0): SymTensor[] {
  const found: SymTensor[] = [];
  for (const value of values) {
    if (value.kind === 'tensor') found.push(value.tensor);
    else if (value.kind === 'tuple' && depth < 4) found.push(...collectTensors(value.items, depth + 1));
  }
  return found;
}

/** A Keras shape tuple: `(28, 28, 1)`, `(None, 128)`; an int is a 1-tuple. */
export function toShape(value: Value): Shape | undefined {
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
export function declaredInput(className: string, keywords: Map<string, ArgValue>): Shape | undefined {
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

export function inputLayerShape(layer: LayerInstance): Shape | undefined {
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
export function argumentTexts(call: Node): Map<string | number, string> {
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

export function withText(value: ArgValue, text: string | undefined): ArgValue {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'unknown' && text) return { kind: 'unknown', text };
  return value;
}
