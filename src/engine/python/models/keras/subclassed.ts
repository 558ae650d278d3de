import type { Node } from 'web-tree-sitter';
import { Tally, type ModelValue } from './graph';
import { UNKNOWN_SHAPE, type Shape } from './shapes';
import { MAX_NESTING } from './sequential';

/**
 * A subclass of `keras.Model` (layers made in `__init__`, wired in `call()`): Keras builds only the
 * layers `call()` reaches, so the count comes from following `call()` on symbolic inputs — of the
 * shape `model.build(...)` gives, or of unknown shape (then only layers whose weights do not depend
 * on it resolve, and the count is a lower bound).
 */
export class SubclassedModel implements ModelValue {
  readonly kind = 'subclassed';
  nested = false;
  /** From `model.build((None, ...))`. */
  buildShape?: Shape;
  private depth = 0;

  constructor(
    readonly node: Node,
    readonly name: string,
    private readonly run: (inputs: Shape[]) => { outputs: Shape[]; tally: Tally },
  ) {}

  apply(inputs: Shape[], _depth: number): { outputs: Shape[]; tally: Tally } {
    if (this.depth > MAX_NESTING) {
      const tally = new Tally();
      tally.problem('the model calls itself');
      tally.macs = undefined;
      return { outputs: [UNKNOWN_SHAPE], tally };
    }
    this.depth++;
    try {
      return this.run(inputs);
    } finally {
      this.depth--;
    }
  }
}
