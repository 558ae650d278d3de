/**
 * Tensor shapes of one sample (the batch dimension left out), as Keras writes them: channels last
 * unless a layer says `data_format="channels_first"`. A dimension is `null` when it is fixed only at
 * run time (a free sequence length) or did not resolve. An `open` shape has an unknown rank: only its
 * trailing `dims` are known (what a Sequential without an input shape feeds its first layer, or what
 * comes out of a Dense applied to that).
 */
export type Dim = number | null;

export interface Shape {
  dims: Dim[];
  /** True when the rank is unknown and `dims` are only the trailing dimensions. */
  open: boolean;
}

/** Why a layer's numbers could not be worked out; caught by the layer catalog, shown in notes. */
export class Unresolved extends Error {}

/** Dimensions above this are treated as unresolved: no real model has them, and products must stay exact. */
export const MAX_DIM = 1e9;

export function closed(dims: Dim[]): Shape {
  return { dims, open: false };
}

export const UNKNOWN_SHAPE: Shape = { dims: [], open: true };

/** Nothing known about the shape (not even its last dimension). */
export function isUnknownShape(shape: Shape): boolean {
  return shape.open && shape.dims.length === 0;
}

/** The shape a layer of fixed rank sees: an open shape gets leading nulls, a closed one must match. */
export function withRank(shape: Shape, rank: number, layer: string): Dim[] {
  if (shape.open) {
    if (shape.dims.length > rank) throw new Unresolved(`${layer} expects ${rank}D samples, got at least ${shape.dims.length}D`);
    return [...Array<Dim>(rank - shape.dims.length).fill(null), ...shape.dims];
  }
  if (shape.dims.length !== rank) throw new Unresolved(`${layer} expects ${rank}D samples, got ${formatShape(shape)}`);
  return [...shape.dims];
}

/** Last dimension (the channels or features axis in Keras' default layout); null when unknown. */
export function lastDim(shape: Shape): Dim {
  return shape.dims.length ? shape.dims[shape.dims.length - 1] : null;
}

/** Product of the dimensions, or undefined when one is unknown or the shape is open. */
export function elements(shape: Shape): number | undefined {
  if (shape.open) return undefined;
  return product(shape.dims);
}

export function product(dims: Dim[]): number | undefined {
  let result = 1;
  for (const d of dims) {
    if (d === null) return undefined;
    result *= d;
  }
  return Number.isSafeInteger(result) ? result : undefined;
}

/** Multiplies factors that may be unknown; undefined when one is, or when the result is not exact. */
export function mul(...factors: (number | null | undefined)[]): number | undefined {
  let result = 1;
  for (const f of factors) {
    if (typeof f !== 'number') return undefined;
    result *= f;
  }
  return Number.isSafeInteger(result) ? result : undefined;
}

/**
 * Output length of a convolution or pooling window along one axis, as Keras computes it
 * (`conv_output_length` in keras/src/utils/conv_utils.py / keras/src/ops/operation_utils.py):
 * valid → ⌊(n − effective kernel) / stride⌋ + 1, same and causal → ⌈n / stride⌉.
 */
export function convLength(n: Dim, kernel: number, stride: number, padding: string, dilation = 1): Dim {
  if (n === null) return null;
  const effective = kernel + (kernel - 1) * (dilation - 1);
  let out: number;
  if (padding === 'same' || padding === 'causal') out = Math.ceil(n / stride);
  else if (padding === 'valid') out = Math.floor((n - effective) / stride) + 1;
  else if (padding === 'full') out = Math.floor((n + effective - 2) / stride) + 1;
  else throw new Unresolved(`padding '${padding}'`);
  if (out < 1) throw new Unresolved(`the window (${effective}) is larger than the input (${n}) along an axis: Keras rejects this`);
  return out;
}

/**
 * Output length of a transposed convolution along one axis (`deconv_output_length` in Keras'
 * conv_utils): without output_padding, valid → n·s + max(k − s, 0), same → n·s, full → n·s − (s + k − 2);
 * with it, (n − 1)·s + k − 2·pad + output_padding, pad = 0 / ⌊k/2⌋ / k − 1.
 */
export function deconvLength(n: Dim, kernel: number, stride: number, padding: string, outputPadding: number | null, dilation = 1): Dim {
  if (n === null) return null;
  const k = kernel + (kernel - 1) * (dilation - 1);
  if (outputPadding === null) {
    if (padding === 'valid') return n * stride + Math.max(k - stride, 0);
    if (padding === 'same') return n * stride;
    if (padding === 'full') return n * stride - (stride + k - 2);
    throw new Unresolved(`padding '${padding}'`);
  }
  const pad = padding === 'same' ? Math.floor(k / 2) : padding === 'valid' ? 0 : padding === 'full' ? k - 1 : undefined;
  if (pad === undefined) throw new Unresolved(`padding '${padding}'`);
  return (n - 1) * stride + k - 2 * pad + outputPadding;
}

/** `(None, 28, 28, 1)` style, as Keras' summary prints it (batch first). */
export function formatShape(shape: Shape): string {
  const dims = shape.dims.map((d) => (d === null ? 'None' : String(d)));
  return `(None, ${shape.open ? '..., ' : ''}${dims.join(', ')})`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.open === b.open && a.dims.length === b.dims.length && a.dims.every((d, i) => d === b.dims[i]);
}
