/**
 * Multiply-accumulates (MACs) of one layer call, per sample, from its config and its input/output
 * shapes (as TensorFlow.js's `getConfig()` gives them: camelCase keys).
 *
 * Conventions. One MAC is one multiplication whose product is added to a running sum (a·b + c).
 * Only the weight multiplications of the layer are counted: bias additions, activations,
 * element-wise merges, pooling and normalisation are 0 (at inference BatchNorm folds into the layer
 * before it). This is the count Sze, Chen, Yang and Emer use for CONV and FC layers in "Efficient
 * Processing of Deep Neural Networks: A Tutorial and Survey", Proc. IEEE 105(12), 2017,
 * doi:10.1109/JPROC.2017.2761740 (Sec. II-B/III), and that MobileNets (Howard et al. 2017,
 * arXiv:1704.04861, Sec. 3.1) uses for depthwise separable convolutions ("mult-adds"):
 * - Dense: (input elements per sample) × units — in × out for a flat input, × timesteps for a sequence.
 * - Conv1D/2D/3D: output positions × filters × (kernel volume × input channels). Grouped convolution
 *   is not built (TensorFlow.js has none); its count would divide the last factor by `groups`.
 * - Conv2DTranspose/Conv3DTranspose: input positions × input channels × kernel volume × filters.
 * - DepthwiseConv2D: output positions × input channels × depth multiplier × kernel area.
 * - SeparableConv2D: the depthwise count plus output positions × (input channels × depth multiplier) × filters.
 * - SimpleRNN / GRU / LSTM: timesteps × gates × units × (input features + units), gates = 1 / 3 / 4 —
 *   the input-to-hidden and hidden-to-hidden matrix products, as ptflops counts them for PyTorch's
 *   RNNs (sovrasov/flops-counter.pytorch, `ptflops/pytorch_ops.py`, `_rnn_flops`), without its
 *   element-wise gate terms. Bidirectional doubles it; TimeDistributed multiplies the wrapped layer's
 *   count by the timesteps. ConvLSTM2D: timesteps × 4 × output positions × filters × kernel area ×
 *   (input channels + filters).
 * - Dot: output elements × the length of the contracted axis.
 * - Embedding: 0 (a table lookup).
 * A shape with an unknown dimension (besides the batch) gives no count.
 */

import type { Shape } from './layer-analysis-types';

interface LayerConfigLike {
  [key: string]: unknown;
}

/** Layers that multiply no weights into their input: 0 MACs by the convention above. */
const ZERO_MACS = new Set([
  'InputLayer', 'Activation', 'ReLU', 'LeakyReLU', 'PReLU', 'ELU', 'ThresholdedReLU', 'Softmax',
  'Dropout', 'AlphaDropout', 'GaussianDropout', 'GaussianNoise', 'SpatialDropout1D',
  'Flatten', 'Reshape', 'Permute', 'RepeatVector', 'Masking', 'Cropping2D', 'ZeroPadding2D', 'UpSampling2D',
  'MaxPooling1D', 'MaxPooling2D', 'MaxPooling3D', 'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D',
  'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'GlobalAveragePooling1D', 'GlobalAveragePooling2D',
  'BatchNormalization', 'LayerNormalization', 'Add', 'Average', 'Maximum', 'Minimum', 'Multiply', 'Concatenate',
  'Rescaling', 'Resizing', 'CenterCrop', 'CategoryEncoding', 'RandomWidth', 'Embedding',
]);
const RNN_GATES: Record<string, number> = { SimpleRNN: 1, GRU: 3, LSTM: 4 };

/** MACs of one call of a layer on inputs of these shapes; undefined when there is no formula or a dimension is unknown. */
export function layerCallMacs(className: string, config: LayerConfigLike, inputs: Shape[], outputs: Shape[]): number | undefined {
  if (ZERO_MACS.has(className)) return 0;
  const input = inputs[0];
  const output = outputs[0];
  if (!input) return undefined;
  const units = num(config.units);
  const filters = num(config.filters);
  const kernel = product(arrayOf(config.kernelSize));
  const channelsFirst = config.dataFormat === 'channelsFirst';
  const channels = (shape: Shape) => (channelsFirst ? shape[1] : shape[shape.length - 1]);
  const spatial = (shape: Shape) => product(channelsFirst ? shape.slice(2) : shape.slice(1, -1));
  switch (className) {
    case 'Dense':
      return mul(product(input.slice(1)), units);
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
      return output && mul(spatial(output), filters, kernel, channels(input));
    case 'Conv2DTranspose':
    case 'Conv3DTranspose':
      return mul(spatial(input), channels(input), kernel, filters);
    case 'DepthwiseConv2D':
      return output && mul(spatial(output), channels(input), num(config.depthMultiplier) ?? 1, kernel);
    case 'SeparableConv2D': {
      if (!output) return undefined;
      const depthwise = mul(spatial(output), channels(input), num(config.depthMultiplier) ?? 1, kernel);
      const pointwise = mul(spatial(output), channels(input), num(config.depthMultiplier) ?? 1, filters);
      return depthwise === undefined || pointwise === undefined ? undefined : depthwise + pointwise;
    }
    case 'SimpleRNN':
    case 'GRU':
    case 'LSTM':
      return units === undefined ? undefined : mul(input[1], RNN_GATES[className], units, plus(input[2], units));
    case 'ConvLSTM2D': {
      if (!output || filters === undefined) return undefined;
      const outSpatial = product(channelsFirst ? output.slice(-2) : output.slice(output.length === 5 ? 2 : 1, -1));
      const inChannels = channelsFirst ? input[2] : input[input.length - 1];
      return mul(input[1], 4, outSpatial, filters, kernel, plus(inChannels, filters));
    }
    case 'Dot': {
      if (!output) return undefined;
      const axes = Array.isArray(config.axes) ? (config.axes as number[]) : [num(config.axes) ?? -1];
      const axis = axes[0] < 0 ? input.length + axes[0] : axes[0];
      return mul(product(output.slice(1)), input[axis]);
    }
    case 'TimeDistributed': {
      const inner = config.layer as { className?: string; config?: LayerConfigLike } | undefined;
      if (!inner?.className || !output) return undefined;
      const step = layerCallMacs(inner.className, inner.config ?? {}, [[null, ...input.slice(2)]], [[null, ...output.slice(2)]]);
      return mul(input[1], step);
    }
    case 'Bidirectional': {
      const inner = config.layer as { className?: string; config?: LayerConfigLike } | undefined;
      if (!inner?.className) return undefined;
      return mul(2, layerCallMacs(inner.className, inner.config ?? {}, inputs, []));
    }
    default:
      return undefined;
  }
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function arrayOf(value: unknown): Shape {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'number' ? v : null));
  return typeof value === 'number' ? [value] : [null];
}

function product(dims: Shape): number | undefined {
  let result = 1;
  for (const d of dims) {
    if (d === null || d === undefined) return undefined;
    result *= d;
  }
  return result;
}

function plus(a: number | null | undefined, b: number | undefined): number | undefined {
  return typeof a === 'number' && b !== undefined ? a + b : undefined;
}

function mul(...factors: (number | null | undefined)[]): number | undefined {
  let result = 1;
  for (const f of factors) {
    if (typeof f !== 'number') return undefined;
    result *= f;
  }
  return result;
}
