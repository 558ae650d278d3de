import type { Node } from 'web-tree-sitter';
import type { PyScalar } from '../../values';
import type { LayerInstance, ModelValue, SymTensor } from './graph';

/**
 * What an expression of a Keras script stands for while DL Doctor follows it. Anything it cannot
 * follow is `unknown`, with the reason when there is one worth naming.
 */
export type Value =
  | { kind: 'scalar'; value: PyScalar; via?: string }
  | { kind: 'tuple'; items: Value[] }
  | { kind: 'layer'; layer: LayerInstance }
  | { kind: 'tensor'; tensor: SymTensor }
  | { kind: 'model'; model: ModelValue }
  /** A dotted name from an import (`keras.layers.Dense`, `tensorflow.zeros`). */
  | { kind: 'ref'; name: string }
  /** A function or class defined in the script. */
  | { kind: 'function'; node: Node; closure: Scope }
  | { kind: 'class'; node: Node; closure: Scope }
  /** An instance of a class from the script (the `self` of a subclassed model). */
  | { kind: 'object'; attrs: Map<string, Value>; cls: Node }
  /** A bound method: `model.add`, `self.block`. */
  | { kind: 'method'; target: Value; name: string }
  /** A model DL Doctor does not build from layers (`keras.applications.ResNet50(...)`). */
  | { kind: 'opaque'; name: string; pretrained: boolean; node: Node }
  | { kind: 'unknown'; reason?: string };

export const UNKNOWN: Value = { kind: 'unknown' };

/** Variables of a module or a function call; function scopes see their defining scope. */
export class Scope {
  vars = new Map<string, Value>();

  constructor(readonly parent: Scope | undefined) {}

  lookup(name: string): Value | undefined {
    return this.vars.get(name) ?? this.parent?.lookup(name);
  }
}
