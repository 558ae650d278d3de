/**
 * The Keras layers DL Doctor counts from source code: for each class, the weights it creates and
 * the shape it outputs for given input shapes, as Keras builds them (keras/src/layers/*, Keras 2.x and
 * 3.x agree on everything here). Parameters are what `count_params()` reports: every weight,
 * BatchNormalization's moving mean and variance included (they are non-trainable).
 *
 * MACs per sample follow the conventions of src/engine/tf/layer-macs.ts (the Model Report's count
 * for saved models), so a script and the file it saves give the same number: only layers that
 * multiply weights into their input count — Dense (input elements × units), convolutions (output
 * positions × filters × kernel volume × input channels / groups; transposed ones: input positions ×
 * input channels × kernel volume × filters), depthwise/separable convolutions, recurrent layers
 * (timesteps × gates × units × (features + units)) — everything else is 0.
 */
import { bool, int, ints, layerArg, raw, str, type ArgValue, type InnerLayer, type LayerArgs } from './layer-args';
import { closed, convLength, deconvLength, elements, lastDim, mul, product, UNKNOWN_SHAPE, Unresolved, withRank, type Dim, type Shape } from './shapes';

export interface LayerOutcome {
  /** Output shapes of this call (several for `return_state=True` or `Bidirectional(merge_mode=None)`). */
  outputs: Shape[];
  /** Every weight the layer creates; undefined when it did not resolve (see `problem`). */
  params?: number;
  /** Weights that do not train (BatchNormalization's moving statistics). */
  nonTrainable?: number;
  /** MACs of this call for one sample; undefined when a dimension is unknown. */
  macs?: number;
  /** Why the parameters (or the shape) did not resolve. */
  problem?: string;
}

type LayerFn = (a: LayerArgs, inputs: Shape[], out: LayerOutcome) => void;

/** Calls a layer on input shapes. Unknown classes and unresolved arguments give a problem, never a number. */
export function callLayer(className: string, args: LayerArgs, inputs: Shape[]): LayerOutcome {
  const out: LayerOutcome = { outputs: [UNKNOWN_SHAPE] };
  const fn = CATALOG.get(className);
  if (!fn) return { ...out, problem: `${className} is not a layer DL Doctor counts` };
  try {
    fn(args, inputs, out);
  } catch (error) {
    if (!(error instanceof Unresolved)) throw error;
    delete out.params;
    delete out.macs;
    out.problem = `${className}: ${error.message}`;
  }
  return out;
}

export function isKnownLayer(className: string): boolean {
  return CATALOG.has(className);
}

const CATALOG = new Map<string, LayerFn>();

function define(names: string[], fn: LayerFn): void {
  for (const name of names) CATALOG.set(name, fn);
}

function first(inputs: Shape[], layer: string): Shape {
  if (inputs.length !== 1) throw new Unresolved(`${layer} takes one input, got ${inputs.length}`);
  return inputs[0];
}

function need(dim: Dim, what: string): number {
  if (dim === null) throw new Unresolved(`${what} is unknown`);
  return dim;
}

function channelsFirst(a: LayerArgs, position: number | undefined): boolean {
  const format = str(a, position, 'data_format', 'channels_last');
  if (format !== 'channels_last' && format !== 'channels_first') throw new Unresolved(`data_format '${format}'`);
  return format === 'channels_first';
}

function padding(a: LayerArgs, position: number | undefined, fallback = 'valid'): string {
  return (str(a, position, 'padding', fallback) ?? fallback).toLowerCase();
}

/** Splits a sample shape into spatial dims and channels for the layout the layer uses. */
function split(dims: Dim[], cf: boolean): { spatial: Dim[]; channels: Dim } {
  return cf ? { spatial: dims.slice(1), channels: dims[0] } : { spatial: dims.slice(0, -1), channels: dims[dims.length - 1] };
}

function join(spatial: Dim[], channels: Dim, cf: boolean): Shape {
  return closed(cf ? [channels, ...spatial] : [...spatial, channels]);
}

// ---- Core -------------------------------------------------------------------------------------

define(['Dense'], (a, inputs, out) => {
  const input = first(inputs, 'Dense');
  const units = int(a, 0, 'units');
  if (!input.open && input.dims.length === 0) throw new Unresolved('Dense needs at least one feature axis');
  out.outputs = [{ dims: [...input.dims.slice(0, -1), units], open: input.open }];
  const features = need(lastDim(input), 'the input size (last axis)');
  out.params = features * units + (bool(a, undefined, 'use_bias', true) ? units : 0);
  out.macs = mul(elements(input), units);
});

define(['Embedding'], (a, inputs, out) => {
  const input = first(inputs, 'Embedding');
  const inputDim = int(a, 0, 'input_dim');
  const outputDim = int(a, 1, 'output_dim');
  out.outputs = [{ dims: [...input.dims, outputDim], open: input.open }];
  out.params = inputDim * outputDim;
  out.macs = 0;
});

/** Layers that keep the shape and hold no weights. */
define(
  [
    'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'SpatialDropout3D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout',
    'Activation', 'ReLU', 'LeakyReLU', 'ELU', 'Softmax', 'ThresholdedReLU', 'ActivityRegularization', 'Masking', 'Identity',
    'Rescaling', 'UnitNormalization', 'InputLayer',
    'RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomContrast', 'RandomTranslation', 'RandomBrightness',
  ],
  (_a, inputs, out) => {
    out.outputs = [first(inputs, 'layer')];
    out.params = 0;
    out.macs = 0;
  },
);

define(['PReLU'], (a, inputs, out) => {
  const input = first(inputs, 'PReLU');
  out.outputs = [input];
  if (input.open) throw new Unresolved('the input rank is unknown');
  const shared = raw(a, undefined, 'shared_axes');
  const axes = shared === undefined || shared === null ? [] : Array.isArray(shared) ? shared : [shared];
  const dims = input.dims.map((d, i) => (axes.includes(i + 1) ? 1 : d));
  out.params = need(product(dims) ?? null, 'the input shape');
  out.macs = 0;
});

define(['Flatten'], (a, inputs, out) => {
  const input = first(inputs, 'Flatten');
  channelsFirst(a, 0);
  out.outputs = [closed([elements(input) ?? null])];
  out.params = 0;
  out.macs = 0;
});

define(['Reshape'], (a, inputs, out) => {
  const input = first(inputs, 'Reshape');
  const target = raw(a, 0, 'target_shape');
  if (!Array.isArray(target) || !target.every((d) => typeof d === 'number' && Number.isInteger(d) && (d >= 1 || d === -1))) {
    throw new Unresolved('target_shape does not resolve to a tuple of whole numbers');
  }
  const dims = target as number[];
  const free = dims.indexOf(-1);
  if (free >= 0) {
    const total = elements(input);
    const rest = product(dims.filter((d) => d !== -1));
    const resolved: Dim[] = [...dims];
    resolved[free] = total !== undefined && rest ? total / rest : null;
    if (resolved[free] !== null && !Number.isInteger(resolved[free])) throw new Unresolved(`cannot reshape ${total} values into ${JSON.stringify(dims)}`);
    out.outputs = [closed(resolved)];
  } else {
    const total = elements(input);
    if (total !== undefined && total !== product(dims)) throw new Unresolved(`cannot reshape ${total} values into ${JSON.stringify(dims)}`);
    out.outputs = [closed(dims)];
  }
  out.params = 0;
  out.macs = 0;
});

define(['Permute'], (a, inputs, out) => {
  const input = first(inputs, 'Permute');
  const order = raw(a, 0, 'dims');
  if (input.open || !Array.isArray(order) || order.length !== input.dims.length) throw new Unresolved('dims does not match the input rank');
  out.outputs = [closed(order.map((i) => (typeof i === 'number' && i >= 1 && i <= input.dims.length ? input.dims[i - 1] : null)))];
  out.params = 0;
  out.macs = 0;
});

define(['RepeatVector'], (a, inputs, out) => {
  const [features] = withRank(first(inputs, 'RepeatVector'), 1, 'RepeatVector');
  out.outputs = [closed([int(a, 0, 'n'), features])];
  out.params = 0;
  out.macs = 0;
});

// ---- Convolutions -----------------------------------------------------------------------------

function conv(rank: number): LayerFn {
  return (a, inputs, out) => {
    const name = `Conv${rank}D`;
    const filters = int(a, 0, 'filters');
    const kernel = ints(a, 1, 'kernel_size', rank);
    const strides = ints(a, 2, 'strides', rank, 1);
    const pad = padding(a, 3);
    const cf = channelsFirst(a, 4);
    const dilation = ints(a, 5, 'dilation_rate', rank, 1);
    const groups = int(a, 6, 'groups', 1);
    if (pad === 'causal' && rank !== 1) throw new Unresolved("padding 'causal' is only for Conv1D");
    const { spatial, channels } = split(withRank(first(inputs, name), rank + 1, name), cf);
    const outSpatial = spatial.map((n, i) => convLength(n, kernel[i], strides[i], pad, dilation[i]));
    out.outputs = [join(outSpatial, filters, cf)];
    const c = need(channels, 'the number of input channels');
    if (c % groups !== 0 || filters % groups !== 0) throw new Unresolved(`groups=${groups} does not divide ${c} input channels and ${filters} filters`);
    const kernelVolume = product(kernel)!;
    out.params = kernelVolume * (c / groups) * filters + (bool(a, undefined, 'use_bias', true) ? filters : 0);
    out.macs = mul(product(outSpatial), filters, kernelVolume, c / groups);
  };
}
define(['Conv1D', 'Convolution1D'], conv(1));
define(['Conv2D', 'Convolution2D'], conv(2));
define(['Conv3D', 'Convolution3D'], conv(3));

function convTranspose(rank: number): LayerFn {
  return (a, inputs, out) => {
    const name = `Conv${rank}DTranspose`;
    const filters = int(a, 0, 'filters');
    const kernel = ints(a, 1, 'kernel_size', rank);
    const strides = ints(a, 2, 'strides', rank, 1);
    const pad = padding(a, 3);
    const outputPaddingArg = raw(a, 4, 'output_padding');
    const outputPadding = outputPaddingArg === undefined || outputPaddingArg === null ? null : ints(a, 4, 'output_padding', rank, undefined, 0);
    const cf = channelsFirst(a, 5);
    const dilation = ints(a, 6, 'dilation_rate', rank, 1);
    const { spatial, channels } = split(withRank(first(inputs, name), rank + 1, name), cf);
    const outSpatial = spatial.map((n, i) => deconvLength(n, kernel[i], strides[i], pad, outputPadding ? outputPadding[i] : null, dilation[i]));
    out.outputs = [join(outSpatial, filters, cf)];
    const c = need(channels, 'the number of input channels');
    const kernelVolume = product(kernel)!;
    out.params = kernelVolume * c * filters + (bool(a, undefined, 'use_bias', true) ? filters : 0);
    out.macs = mul(product(spatial), c, kernelVolume, filters);
  };
}
define(['Conv1DTranspose', 'Convolution1DTranspose'], convTranspose(1));
define(['Conv2DTranspose', 'Convolution2DTranspose'], convTranspose(2));
define(['Conv3DTranspose', 'Convolution3DTranspose'], convTranspose(3));

function depthwise(rank: number): LayerFn {
  return (a, inputs, out) => {
    const name = `DepthwiseConv${rank}D`;
    const kernel = ints(a, 0, 'kernel_size', rank);
    const strides = ints(a, 1, 'strides', rank, 1);
    const pad = padding(a, 2);
    const multiplier = int(a, 3, 'depth_multiplier', 1);
    const cf = channelsFirst(a, 4);
    const dilation = ints(a, 5, 'dilation_rate', rank, 1);
    const { spatial, channels } = split(withRank(first(inputs, name), rank + 1, name), cf);
    const outSpatial = spatial.map((n, i) => convLength(n, kernel[i], strides[i], pad, dilation[i]));
    out.outputs = [join(outSpatial, channels === null ? null : channels * multiplier, cf)];
    const c = need(channels, 'the number of input channels');
    const kernelVolume = product(kernel)!;
    out.params = kernelVolume * c * multiplier + (bool(a, undefined, 'use_bias', true) ? c * multiplier : 0);
    out.macs = mul(product(outSpatial), c, multiplier, kernelVolume);
  };
}
define(['DepthwiseConv1D'], depthwise(1));
define(['DepthwiseConv2D'], depthwise(2));

function separable(rank: number): LayerFn {
  return (a, inputs, out) => {
    const name = `SeparableConv${rank}D`;
    const filters = int(a, 0, 'filters');
    const kernel = ints(a, 1, 'kernel_size', rank);
    const strides = ints(a, 2, 'strides', rank, 1);
    const pad = padding(a, 3);
    const cf = channelsFirst(a, 4);
    const dilation = ints(a, 5, 'dilation_rate', rank, 1);
    const multiplier = int(a, 6, 'depth_multiplier', 1);
    const { spatial, channels } = split(withRank(first(inputs, name), rank + 1, name), cf);
    const outSpatial = spatial.map((n, i) => convLength(n, kernel[i], strides[i], pad, dilation[i]));
    out.outputs = [join(outSpatial, filters, cf)];
    const c = need(channels, 'the number of input channels');
    const kernelVolume = product(kernel)!;
    out.params = kernelVolume * c * multiplier + c * multiplier * filters + (bool(a, undefined, 'use_bias', true) ? filters : 0);
    const positions = product(outSpatial);
    const dw = mul(positions, c, multiplier, kernelVolume);
    const pw = mul(positions, c, multiplier, filters);
    out.macs = dw === undefined || pw === undefined ? undefined : dw + pw;
  };
}
define(['SeparableConv1D', 'SeparableConvolution1D'], separable(1));
define(['SeparableConv2D', 'SeparableConvolution2D'], separable(2));

// ---- Pooling, padding, resizing -----------------------------------------------------------------

function pooling(rank: number, kind: string): LayerFn {
  return (a, inputs, out) => {
    const name = `${kind}Pooling${rank}D`;
    const pool = ints(a, 0, 'pool_size', rank, 2);
    const stridesArg = raw(a, 1, 'strides');
    const strides = stridesArg === undefined || stridesArg === null ? pool : ints(a, 1, 'strides', rank);
    const pad = padding(a, 2);
    const cf = channelsFirst(a, 3);
    const { spatial, channels } = split(withRank(first(inputs, name), rank + 1, name), cf);
    out.outputs = [join(spatial.map((n, i) => convLength(n, pool[i], strides[i], pad)), channels, cf)];
    out.params = 0;
    out.macs = 0;
  };
}
for (const rank of [1, 2, 3]) {
  define([`MaxPooling${rank}D`, `MaxPool${rank}D`], pooling(rank, 'Max'));
  define([`AveragePooling${rank}D`, `AvgPool${rank}D`], pooling(rank, 'Average'));
}

function globalPooling(rank: number): LayerFn {
  return (a, inputs, out) => {
    const cf = channelsFirst(a, 0);
    const { spatial, channels } = split(withRank(first(inputs, `GlobalPooling${rank}D`), rank + 1, `GlobalPooling${rank}D`), cf);
    const keep = bool(a, 1, 'keepdims', false);
    out.outputs = [keep ? join(spatial.map(() => 1), channels, cf) : closed([channels])];
    out.params = 0;
    out.macs = 0;
  };
}
for (const rank of [1, 2, 3]) {
  define([`GlobalMaxPooling${rank}D`, `GlobalMaxPool${rank}D`, `GlobalAveragePooling${rank}D`, `GlobalAvgPool${rank}D`], globalPooling(rank));
}

/** `padding=1`, `(1, 2)` (symmetric per axis) or `((1, 2), (3, 4))` → [before, after] per axis. */
function pairs(value: ArgValue | undefined, rank: number, fallback: number, name: string): [number, number][] {
  const whole = (v: ArgValue): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Unresolved(`${name} does not resolve to whole numbers`);
    return v;
  };
  if (value === undefined || value === null) return Array.from({ length: rank }, () => [fallback, fallback]);
  if (!Array.isArray(value)) return Array.from({ length: rank }, () => [whole(value), whole(value)]);
  if (rank === 1 && value.length === 2 && !Array.isArray(value[0])) return [[whole(value[0]), whole(value[1])]];
  if (value.length !== rank) throw new Unresolved(`${name} has ${value.length} entries for ${rank} axes`);
  return value.map((v) => (Array.isArray(v) && v.length === 2 ? [whole(v[0]), whole(v[1])] : [whole(v), whole(v)]));
}

function spatialResize(rank: number, name: string, argName: string, fallback: number, resize: (n: number, before: number, after: number) => number): LayerFn {
  return (a, inputs, out) => {
    const amounts = pairs(raw(a, 0, argName), rank, fallback, argName);
    const cf = channelsFirst(a, 1);
    const { spatial, channels } = split(withRank(first(inputs, name), rank + 1, name), cf);
    const sizes = spatial.map((n, i) => (n === null ? null : resize(n, amounts[i][0], amounts[i][1])));
    if (sizes.some((s) => s !== null && s < 1)) throw new Unresolved(`${argName} removes the whole input`);
    out.outputs = [join(sizes, channels, cf)];
    out.params = 0;
    out.macs = 0;
  };
}
for (const rank of [1, 2, 3]) {
  define([`ZeroPadding${rank}D`], spatialResize(rank, `ZeroPadding${rank}D`, 'padding', 1, (n, b, e) => n + b + e));
  define([`Cropping${rank}D`], spatialResize(rank, `Cropping${rank}D`, 'cropping', rank === 1 ? 1 : 0, (n, b, e) => n - b - e));
}

function upSampling(rank: number): LayerFn {
  return (a, inputs, out) => {
    const size = ints(a, 0, 'size', rank, 2);
    const cf = rank === 1 ? false : channelsFirst(a, 1);
    const name = `UpSampling${rank}D`;
    const { spatial, channels } = split(withRank(first(inputs, name), rank + 1, name), cf);
    out.outputs = [join(spatial.map((n, i) => (n === null ? null : n * size[i])), channels, cf)];
    out.params = 0;
    out.macs = 0;
  };
}
define(['UpSampling1D'], upSampling(1));
define(['UpSampling2D'], upSampling(2));
define(['UpSampling3D'], upSampling(3));

// ---- Normalisation ------------------------------------------------------------------------------

/** Sample-axis indexes for a Keras `axis` argument (which counts the batch axis as 0). */
function axesOf(value: ArgValue | undefined, shape: Shape, fallback: number): number[] {
  const list = value === undefined || value === null ? [fallback] : Array.isArray(value) ? value : [value];
  return list.map((axis) => {
    if (typeof axis !== 'number' || !Number.isInteger(axis) || axis === 0) throw new Unresolved('axis does not resolve to a feature axis');
    if (axis < 0) {
      const index = shape.dims.length + axis;
      if (index < 0) throw new Unresolved(`axis=${axis} is outside the known input shape`);
      return shape.open ? -(shape.dims.length - index) : index;
    }
    if (shape.open) throw new Unresolved(`axis=${axis} on an input of unknown rank`);
    if (axis - 1 >= shape.dims.length) throw new Unresolved(`axis=${axis} is outside the input shape`);
    return axis - 1;
  });
}

function axisSize(shape: Shape, axes: number[]): number {
  let size = 1;
  for (const axis of axes) size *= need(shape.dims[axis < 0 ? shape.dims.length + axis : axis], 'the normalised axis size');
  return size;
}

define(['BatchNormalization'], (a, inputs, out) => {
  const input = first(inputs, 'BatchNormalization');
  out.outputs = [input];
  const size = axisSize(input, axesOf(raw(a, 0, 'axis'), input, -1));
  const affine = (bool(a, 3, 'center', true) ? size : 0) + (bool(a, 4, 'scale', true) ? size : 0);
  out.params = affine + 2 * size;
  out.nonTrainable = 2 * size;
  out.macs = 0;
});

define(['LayerNormalization'], (a, inputs, out) => {
  const input = first(inputs, 'LayerNormalization');
  out.outputs = [input];
  const size = axisSize(input, axesOf(raw(a, 0, 'axis'), input, -1));
  out.params = (bool(a, 2, 'center', true) ? size : 0) + (bool(a, 3, 'scale', true) ? size : 0);
  out.macs = 0;
});

// ---- Recurrent ----------------------------------------------------------------------------------

/** Gates per recurrent cell: one weight matrix pair each. */
const GATES: Record<string, number> = { SimpleRNN: 1, GRU: 3, LSTM: 4 };

function recurrent(className: string): LayerFn {
  return (a, inputs, out) => {
    const units = int(a, 0, 'units');
    const [steps, features] = withRank(first(inputs, className), 2, className);
    const sequences = bool(a, undefined, 'return_sequences', false);
    const state = bool(a, undefined, 'return_state', false);
    const main = closed(sequences ? [steps, units] : [units]);
    const states = className === 'LSTM' ? 2 : 1;
    out.outputs = state ? [main, ...Array.from({ length: states }, () => closed([units]))] : [main];
    const f = need(features, 'the number of input features');
    const gates = GATES[className];
    const bias = bool(a, undefined, 'use_bias', true);
    // Keras' GRU defaults to reset_after=True (TF 2 and Keras 3), which keeps separate input and
    // recurrent biases: bias shape (2, 3 × units).
    const biases = !bias ? 0 : className === 'GRU' && bool(a, undefined, 'reset_after', true) ? 2 : 1;
    out.params = gates * (f * units + units * units + biases * units);
    out.macs = mul(steps, gates, units, f + units);
  };
}
for (const className of Object.keys(GATES)) define([className], recurrent(className));

define(['Bidirectional'], (a, inputs, out) => {
  const forward = layerArg(a, 0, 'layer');
  const mode = str(a, 1, 'merge_mode', 'concat');
  const backwardArg = a.get(3, 'backward_layer');
  const backward = backwardArg === undefined || backwardArg === null ? forward : layerArg(a, 3, 'backward_layer');
  const f = callInner(forward, inputs);
  const b = backward === forward ? f : callInner(backward, inputs);
  const [fMain, ...fStates] = f.outputs;
  const [bMain, ...bStates] = b.outputs;
  if (mode === null) out.outputs = [fMain, bMain, ...fStates, ...bStates];
  else if (mode === 'concat') {
    const last = lastDim(fMain);
    const other = lastDim(bMain);
    out.outputs = [{ dims: [...fMain.dims.slice(0, -1), last === null || other === null ? null : last + other], open: fMain.open }, ...fStates, ...bStates];
  } else if (['sum', 'mul', 'ave'].includes(mode)) out.outputs = [fMain, ...fStates, ...bStates];
  else throw new Unresolved(`merge_mode '${mode}'`);
  if (f.params === undefined || b.params === undefined) throw new Unresolved(f.problem ?? b.problem ?? 'the wrapped layer does not resolve');
  out.params = f.params + b.params;
  out.nonTrainable = (f.nonTrainable ?? 0) + (b.nonTrainable ?? 0);
  out.macs = f.macs === undefined || b.macs === undefined ? undefined : f.macs + b.macs;
});

define(['TimeDistributed'], (a, inputs, out) => {
  const inner = layerArg(a, 0, 'layer');
  const input = first(inputs, 'TimeDistributed');
  if (input.open && input.dims.length < 2) throw new Unresolved('the input rank is unknown');
  const steps = input.open ? null : input.dims[0];
  const step = callInner(inner, [{ dims: input.open ? input.dims.slice(-input.dims.length + 1) : input.dims.slice(1), open: input.open }]);
  out.outputs = step.outputs.map((shape) => ({ dims: [steps, ...shape.dims], open: shape.open }));
  if (step.params === undefined) throw new Unresolved(step.problem ?? 'the wrapped layer does not resolve');
  out.params = step.params;
  out.nonTrainable = step.nonTrainable;
  out.macs = mul(steps, step.macs);
});

function callInner(inner: InnerLayer, inputs: Shape[]): LayerOutcome {
  return callLayer(inner.className, inner.args, inputs);
}

// ---- Merging ------------------------------------------------------------------------------------

/** Element-wise merges: the inputs have one shape (Keras also broadcasts size-1 axes). */
define(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum'], (_a, inputs, out) => {
  if (inputs.length < 2) throw new Unresolved('a merge layer needs at least two inputs');
  out.outputs = [inputs.reduce((x, y) => broadcast(x, y))];
  out.params = 0;
  out.macs = 0;
});

function broadcast(x: Shape, y: Shape): Shape {
  const length = Math.max(x.dims.length, y.dims.length);
  const dims: Dim[] = [];
  for (let i = 1; i <= length; i++) {
    const p = x.dims[x.dims.length - i] ?? null;
    const q = y.dims[y.dims.length - i] ?? null;
    if (p !== null && q !== null && p !== q && p !== 1 && q !== 1) throw new Unresolved(`merged inputs do not match (${p} vs ${q})`);
    dims.unshift(p === 1 ? q : q === 1 ? p : (p ?? q));
  }
  // The rank is known when one input has a known rank at least as long as the other's known dims.
  const known = [x, y].some((s) => !s.open && s.dims.length === length);
  return { dims, open: !known };
}

define(['Concatenate'], (a, inputs, out) => {
  if (inputs.length < 2) throw new Unresolved('Concatenate needs at least two inputs');
  const axisArg = raw(a, 0, 'axis');
  const axis = axisArg === undefined ? -1 : axisArg;
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis === 0) throw new Unresolved('axis does not resolve');
  const rank = inputs.find((s) => !s.open)?.dims.length;
  if (axis > 0 && rank === undefined) throw new Unresolved(`axis=${axis} on inputs of unknown rank`);
  if (inputs.some((s) => !s.open && s.dims.length !== rank)) throw new Unresolved('concatenated inputs have different ranks');
  const fromEnd = axis < 0 ? -axis : rank! - axis + 1;
  const longest = Math.max(...inputs.map((s) => s.dims.length));
  if (fromEnd > longest) throw new Unresolved(`axis=${axis} is outside the inputs`);
  const dims: Dim[] = [];
  for (let i = 1; i <= longest; i++) {
    const column = inputs.map((s) => s.dims[s.dims.length - i] ?? null);
    if (i === fromEnd) dims.unshift(column.some((d) => d === null) ? null : column.reduce<number>((sum, d) => sum + (d ?? 0), 0));
    else dims.unshift(column.find((d) => d !== null) ?? null);
  }
  out.outputs = [{ dims, open: inputs.every((s) => s.open) }];
  out.params = 0;
  out.macs = 0;
});

// ---- Attention ----------------------------------------------------------------------------------

/**
 * MultiHeadAttention(num_heads, key_dim, value_dim=None, dropout, use_bias=True, output_shape=None),
 * called as `mha(query, value[, key])`: four EinsumDense projections (Keras
 * keras/src/layers/attention/multi_head_attention.py) — query and key to heads × key_dim, value to
 * heads × value_dim, and the output back to the query's feature size (or `output_shape`).
 */
define(['MultiHeadAttention'], (a, inputs, out) => {
  if (inputs.length < 2 || inputs.length > 3) throw new Unresolved('MultiHeadAttention is called with query, value and optionally key');
  const [query, value, key = value] = inputs;
  const heads = int(a, 0, 'num_heads');
  const keyDim = int(a, 1, 'key_dim');
  const valueDimArg = raw(a, 2, 'value_dim');
  const valueDim = valueDimArg === undefined || valueDimArg === null ? keyDim : int(a, 2, 'value_dim');
  const bias = bool(a, 4, 'use_bias', true);
  const outputShape = raw(a, 5, 'output_shape');
  const q = need(lastDim(query), 'the query size');
  const outDim = outputShape === undefined || outputShape === null ? q : int(a, 5, 'output_shape');
  out.outputs = [{ dims: [...query.dims.slice(0, -1), outDim], open: query.open }];
  const k = need(lastDim(key), 'the key size');
  const v = need(lastDim(value), 'the value size');
  const projections = q * heads * keyDim + k * heads * keyDim + v * heads * valueDim + heads * valueDim * outDim;
  out.params = projections + (bias ? 2 * heads * keyDim + heads * valueDim + outDim : 0);
});
