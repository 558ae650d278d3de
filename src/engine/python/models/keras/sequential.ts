import type { Node } from 'web-tree-sitter';
import { LayerInstance, Tally, type ModelValue } from './graph';
import { formatShape, isUnknownShape, UNKNOWN_SHAPE, type Shape } from './shapes';

/** What a Sequential holds, in order. */
export type SequentialEntry =
  | { kind: 'layer'; layer: LayerInstance }
  | { kind: 'model'; model: ModelValue }
  /** Something added that DL Doctor cannot follow (a custom object, an unresolved expression). */
  | { kind: 'unknown'; what: string; line: number };

/** Nested models call each other; a model holding itself (or a cycle) stops here. */
export const MAX_NESTING = 16;

/**
 * `keras.Sequential([...])` and `model.add(...)`: layers applied one after the other. Its input shape
 * comes from a `keras.Input` / `InputLayer` entry, `input_shape=` on the first layer, or `model.build`.
 */
export class SequentialModel implements ModelValue {
  readonly kind = 'sequential';
  readonly name = 'Sequential';
  nested = false;
  readonly entries: SequentialEntry[] = [];
  /** From `keras.Input(...)` as first entry or `model.build(...)`. */
  inputShape?: Shape;
  /** Set when a layer was added where DL Doctor cannot tell whether or how often (a branch, a loop). */
  poisoned?: string;
  /** Pretrained models (keras.applications) added as entries. */
  readonly pretrained = new Set<string>();

  constructor(readonly node: Node) {}

  /** The input shape Keras would build the model with, when the script gives one. */
  declaredInput(): Shape | undefined {
    if (this.inputShape) return this.inputShape;
    const first = this.entries[0];
    if (first?.kind === 'layer') return first.layer.declaredInput;
    return undefined;
  }

  apply(inputs: Shape[], depth: number): { outputs: Shape[]; tally: Tally } {
    const tally = new Tally();
    if (depth > MAX_NESTING) {
      tally.problem('models nest deeper than DL Doctor follows');
      tally.macs = undefined;
      return { outputs: [UNKNOWN_SHAPE], tally };
    }
    if (inputs.length !== 1) tally.problem(`line ${this.line}: a Sequential model takes one input, got ${inputs.length}`);
    let shape = inputs[0] ?? UNKNOWN_SHAPE;
    for (const entry of this.entries) {
      if (entry.kind === 'layer') {
        const outcome = entry.layer.call([shape]);
        tally.layers.add(entry.layer);
        tally.addMacs(outcome.macs);
        // Fed by something that did not resolve, the layer repeats that problem: name the cause only.
        const cascaded = isUnknownShape(shape);
        if (cascaded && entry.layer.params === undefined) tally.macs = undefined;
        else if (entry.layer.params === undefined) tally.problem(`line ${entry.layer.line}: ${entry.layer.problem}`);
        else if (outcome.problem) tally.problem(`line ${entry.layer.line}: ${outcome.problem}`);
        if (outcome.outputs.length !== 1) {
          tally.problem(`line ${entry.layer.line}: ${entry.layer.className} returns ${outcome.outputs.length} tensors inside a Sequential model`);
          shape = UNKNOWN_SHAPE;
        } else shape = outcome.outputs[0];
      } else if (entry.kind === 'model') {
        entry.model.nested = true;
        const result = entry.model.apply([shape], depth + 1);
        tally.merge(result.tally);
        shape = result.outputs.length === 1 ? result.outputs[0] : UNKNOWN_SHAPE;
      } else {
        tally.problem(`line ${entry.line}: ${entry.what}`);
        tally.macs = undefined;
        shape = UNKNOWN_SHAPE;
      }
    }
    for (const name of this.pretrained) tally.pretrained.add(name);
    if (this.poisoned) {
      tally.problem(this.poisoned);
      tally.macs = undefined;
    }
    return { outputs: [shape], tally };
  }

  get line(): number {
    return this.node.startPosition.row + 1;
  }

  describeInput(): string | undefined {
    const shape = this.declaredInput();
    return shape && formatShape(shape);
  }
}
