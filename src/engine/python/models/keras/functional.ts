import type { Node } from 'web-tree-sitter';
import { tallyGraph, Tally, type ModelValue, type SymTensor } from './graph';
import { sameShape, type Shape } from './shapes';

/**
 * `keras.Model(inputs, outputs)`: the layers on the paths from the inputs to the outputs, each
 * counted once however often it is called (shared layers), each call's MACs counted.
 */
export class FunctionalModel implements ModelValue {
  readonly kind = 'functional';
  readonly name = 'Model';
  nested = false;
  /** Set when `inputs=` was given but did not resolve to keras.Input tensors. */
  unresolvedInputs = false;

  constructor(
    readonly node: Node,
    readonly inputs: SymTensor[],
    readonly outputs: SymTensor[],
  ) {}

  apply(inputs: Shape[], _depth: number): { outputs: Shape[]; tally: Tally } {
    const tally = tallyGraph(this.outputs, new Set(this.inputs));
    if (this.unresolvedInputs) tally.problem(`line ${this.node.startPosition.row + 1}: the model's inputs do not resolve`);
    for (const input of this.inputs) {
      if (!input.isInput) tally.problem(`line ${this.node.startPosition.row + 1}: an input of the model is not a keras.Input DL Doctor resolves`);
    }
    // Called on tensors of another shape, a functional model keeps its own (Keras checks they fit).
    if (inputs.length !== this.inputs.length) tally.problem(`line ${this.node.startPosition.row + 1}: the model takes ${this.inputs.length} inputs, called with ${inputs.length}`);
    inputs.forEach((shape, i) => {
      const own = this.inputs[i]?.shape;
      if (own && !shape.open && !own.open && !sameShape(shape, own) && shape.dims.length !== own.dims.length) {
        tally.problem(`line ${this.node.startPosition.row + 1}: the model is called on inputs of another rank`);
      }
    });
    return { outputs: this.outputs.map((t) => t.shape), tally };
  }
}
