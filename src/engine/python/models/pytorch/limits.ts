/** Limits for one model build: every loop, list, nesting and step of the static builder is bounded. */
export const LIMITS = {
  /** Statements and expressions evaluated, in all: a large model's `__init__` takes a few thousand. */
  steps: 200_000,
  /** Nested calls and instantiations (a class that builds itself ends here). */
  depth: 32,
  /** Items of one list or `range(...)` that are expanded; larger ones do not resolve. */
  items: 10_000,
  /** Modules and tensors created by deep copies (`TransformerEncoder(layer, N)`). */
  cloned: 200_000,
  /** Nesting of one expression. */
  expressionDepth: 64,
  /** Largest number kept exact (well inside 2^53). */
  magnitude: 1e15,
};
