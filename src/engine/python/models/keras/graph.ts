import type { Node } from 'web-tree-sitter';
import { callLayer, type LayerOutcome } from './layer-catalog';
import type { LayerArgs } from './layer-args';
import type { Shape } from './shapes';

/**
 * The pieces a Keras script builds, as DL Doctor follows them: layer objects (built once, on their
 * first call, like Keras builds them), symbolic tensors that remember the layer call that produced
 * them, and the weights and MACs a set of calls adds up to.
 */
export class LayerInstance {
  /** Parameters from the first call that resolved them (Keras builds a layer's weights once). */
  params?: number;
  nonTrainable?: number;
  /** Why the parameters did not resolve on the first call. */
  problem?: string;
  trainable = true;
  private called = false;

  constructor(
    readonly className: string,
    readonly args: LayerArgs,
    /** The constructor call, for line numbers in notes. */
    readonly node: Node,
    /** Where resolved argument values came from (argparse defaults, constants). */
    readonly vias: string[],
    /** `input_shape=` / `batch_input_shape=` / `input_dim=` / `input_length=` given to the constructor. */
    readonly declaredInput: Shape | undefined,
  ) {}

  call(inputs: Shape[]): LayerOutcome {
    const outcome = callLayer(this.className, this.args, inputs);
    if (this.called && this.params !== undefined && outcome.params !== undefined && outcome.params !== this.params) {
      // Keras builds a layer's weights on its first call and rejects inputs they do not fit.
      return { ...outcome, params: undefined, problem: `${this.className} is called again on inputs of another size (Keras rejects this)` };
    }
    if (!this.called || (this.params === undefined && outcome.params !== undefined)) {
      this.called = true;
      this.params = outcome.params;
      this.nonTrainable = outcome.nonTrainable;
      this.problem = outcome.params === undefined ? outcome.problem ?? `${this.className}: unresolved` : undefined;
    }
    return outcome;
  }

  get line(): number {
    return this.node.startPosition.row + 1;
  }
}

/** What a model (or part of one) adds up to. */
export class Tally {
  readonly layers = new Set<LayerInstance>();
  /** What did not resolve, one line each, with its line in the script. */
  readonly problems: string[] = [];
  macs: number | undefined = 0;
  /** Names of pretrained models (keras.applications) the model wraps. */
  readonly pretrained = new Set<string>();

  addMacs(macs: number | undefined): void {
    this.macs = this.macs === undefined || macs === undefined ? undefined : this.macs + macs;
  }

  problem(text: string): void {
    if (!this.problems.includes(text) && this.problems.length < 50) this.problems.push(text);
  }

  merge(other: Tally): void {
    for (const layer of other.layers) this.layers.add(layer);
    for (const p of other.problems) this.problem(p);
    for (const p of other.pretrained) this.pretrained.add(p);
    this.addMacs(other.macs);
  }
}

/** One call that produced tensors: a layer, a nested model, or something DL Doctor does not follow. */
export interface CallRecord {
  inputs: SymTensor[];
  /** Layers, MACs and problems this call contributes. */
  tally: Tally;
}

export interface SymTensor {
  shape: Shape;
  /** The call that produced it; absent for model inputs (`keras.Input`). */
  producer?: CallRecord;
  /** Set on `keras.Input(...)` tensors. */
  isInput?: boolean;
}

/** A model built from layers: Sequential, functional or subclassed. Usable as a layer of another model. */
export interface ModelValue {
  kind: 'sequential' | 'functional' | 'subclassed';
  /** The expression that builds it (the estimate's range). */
  node: Node;
  name: string;
  /** Runs the model on input shapes: output shapes and what the call adds up to. */
  apply(inputs: Shape[], depth: number): { outputs: Shape[]; tally: Tally };
  /** Set when the model is called as a layer of another model: it is reported as part of that one. */
  nested: boolean;
}

/** Walks back from output tensors to the inputs and adds up every call on the way (each once). */
export function tallyGraph(outputs: SymTensor[], stopAt: Set<SymTensor>, limit = 100_000): Tally {
  const tally = new Tally();
  const seen = new Set<CallRecord>();
  const stack = [...outputs];
  const visited = new Set<SymTensor>();
  while (stack.length) {
    const tensor = stack.pop()!;
    if (visited.has(tensor) || stopAt.has(tensor)) continue;
    visited.add(tensor);
    if (visited.size > limit) {
      tally.problem('the graph is larger than DL Doctor follows');
      tally.macs = undefined;
      break;
    }
    const record = tensor.producer;
    if (!record || seen.has(record)) continue;
    seen.add(record);
    tally.merge(record.tally);
    stack.push(...record.inputs);
  }
  return tally;
}
