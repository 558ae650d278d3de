import { isObject, newModule, newTensor, type Ids, type ModuleValue, type Value } from './module-values';

/**
 * Parameter formulas of torch.nn's built-in layers, from the shapes each layer's constructor gives
 * its parameters in the PyTorch documentation (https://pytorch.org/docs/stable/nn.html, the
 * "Variables" section of each class). Buffers (BatchNorm's running statistics) are not parameters.
 */

/** A constructor call's arguments, evaluated. */
export interface LayerCall {
  positional: Value[];
  keywords: Map<string, Value>;
  /** How the user wrote it, for notes: `nn.Linear(784, hidden) (line 12)`. */
  describe: string;
}

export interface LayerContext {
  ids: Ids;
  /** Deep copies of a module (TransformerEncoder's layers); undefined when the size budget is spent. */
  clone(module: ModuleValue, copies: number): ModuleValue[] | undefined;
}

/** Positional parameter names (then keyword-only ones after `|`), and defaults, per class. */
const SIGNATURES: Record<string, string> = {
  Linear: 'in_features out_features bias=True',
  Bilinear: 'in1_features in2_features out_features bias=True',
  Conv1d: 'in_channels out_channels kernel_size stride=1 padding=0 dilation=1 groups=1 bias=True',
  Conv2d: 'in_channels out_channels kernel_size stride=1 padding=0 dilation=1 groups=1 bias=True',
  Conv3d: 'in_channels out_channels kernel_size stride=1 padding=0 dilation=1 groups=1 bias=True',
  ConvTranspose1d: 'in_channels out_channels kernel_size stride=1 padding=0 output_padding=0 groups=1 bias=True dilation=1',
  ConvTranspose2d: 'in_channels out_channels kernel_size stride=1 padding=0 output_padding=0 groups=1 bias=True dilation=1',
  ConvTranspose3d: 'in_channels out_channels kernel_size stride=1 padding=0 output_padding=0 groups=1 bias=True dilation=1',
  Embedding: 'num_embeddings embedding_dim',
  EmbeddingBag: 'num_embeddings embedding_dim',
  RNN: 'input_size hidden_size num_layers=1 nonlinearity bias=True batch_first dropout bidirectional=False',
  LSTM: 'input_size hidden_size num_layers=1 bias=True batch_first dropout bidirectional=False proj_size=0',
  GRU: 'input_size hidden_size num_layers=1 bias=True batch_first dropout bidirectional=False',
  RNNCell: 'input_size hidden_size bias=True',
  LSTMCell: 'input_size hidden_size bias=True',
  GRUCell: 'input_size hidden_size bias=True',
  BatchNorm1d: 'num_features eps momentum affine=True',
  BatchNorm2d: 'num_features eps momentum affine=True',
  BatchNorm3d: 'num_features eps momentum affine=True',
  SyncBatchNorm: 'num_features eps momentum affine=True',
  InstanceNorm1d: 'num_features eps momentum affine=False',
  InstanceNorm2d: 'num_features eps momentum affine=False',
  InstanceNorm3d: 'num_features eps momentum affine=False',
  // `bias` joined LayerNorm in PyTorch 2.1, after device and dtype: keyword-only here.
  LayerNorm: 'normalized_shape eps elementwise_affine=True | bias=True',
  GroupNorm: 'num_groups num_channels eps affine=True',
  PReLU: 'num_parameters=1',
  MultiheadAttention: 'embed_dim num_heads dropout bias=True add_bias_kv=False add_zero_attn kdim=None vdim=None',
  TransformerEncoderLayer: 'd_model nhead dim_feedforward=2048 dropout activation layer_norm_eps batch_first norm_first | bias=True',
  TransformerDecoderLayer: 'd_model nhead dim_feedforward=2048 dropout activation layer_norm_eps batch_first norm_first | bias=True',
  TransformerEncoder: 'encoder_layer num_layers norm=None',
  TransformerDecoder: 'decoder_layer num_layers norm=None',
  Transformer:
    'd_model=512 nhead=8 num_encoder_layers=6 num_decoder_layers=6 dim_feedforward=2048 dropout activation custom_encoder=None custom_decoder=None layer_norm_eps batch_first norm_first | bias=True',
};

/** Layers without parameters, whatever their arguments. */
const PARAMETER_FREE = new Set(
  (
    'Identity Flatten Unflatten Dropout Dropout1d Dropout2d Dropout3d AlphaDropout FeatureAlphaDropout ' +
    'ReLU ReLU6 LeakyReLU ELU SELU CELU GELU SiLU Mish Sigmoid Tanh Softplus Softsign Softshrink Hardshrink Tanhshrink ' +
    'Hardtanh Hardsigmoid Hardswish LogSigmoid Threshold GLU Softmax Softmin Softmax2d LogSoftmax RReLU ' +
    'MaxPool1d MaxPool2d MaxPool3d AvgPool1d AvgPool2d AvgPool3d LPPool1d LPPool2d FractionalMaxPool2d FractionalMaxPool3d ' +
    'AdaptiveAvgPool1d AdaptiveAvgPool2d AdaptiveAvgPool3d AdaptiveMaxPool1d AdaptiveMaxPool2d AdaptiveMaxPool3d ' +
    'MaxUnpool1d MaxUnpool2d MaxUnpool3d Upsample UpsamplingNearest2d UpsamplingBilinear2d PixelShuffle PixelUnshuffle ChannelShuffle ' +
    'ZeroPad1d ZeroPad2d ZeroPad3d ConstantPad1d ConstantPad2d ConstantPad3d ReflectionPad1d ReflectionPad2d ReflectionPad3d ' +
    'ReplicationPad1d ReplicationPad2d ReplicationPad3d CircularPad1d CircularPad2d CircularPad3d LocalResponseNorm CrossMapLRN2d ' +
    'Fold Unfold CosineSimilarity PairwiseDistance ' +
    'L1Loss MSELoss CrossEntropyLoss NLLLoss BCELoss BCEWithLogitsLoss HuberLoss SmoothL1Loss KLDivLoss CTCLoss ' +
    'MarginRankingLoss HingeEmbeddingLoss CosineEmbeddingLoss TripletMarginLoss MultiLabelSoftMarginLoss PoissonNLLLoss GaussianNLLLoss'
  ).split(' '),
);

export function isBuiltinLayer(type: string): boolean {
  return type in SIGNATURES || PARAMETER_FREE.has(type);
}

type Args = Record<string, Value>;

const MAX_TENSOR = 1e15;

function bind(type: string, call: LayerCall): Args {
  const [positional, keywordOnly = ''] = SIGNATURES[type].split('|');
  const args: Args = {};
  const specs = positional.trim().split(/\s+/).map((s) => ({ spec: s, positional: true }));
  for (const s of keywordOnly.trim().split(/\s+/).filter(Boolean)) specs.push({ spec: s, positional: false });
  specs.forEach(({ spec, positional: byPosition }, index) => {
    const [name, fallback] = spec.split('=');
    const given = byPosition && index < call.positional.length ? call.positional[index] : call.keywords.get(name);
    if (given !== undefined) args[name] = given;
    else if (fallback !== undefined) args[name] = parseDefault(fallback);
  });
  return args;
}

function parseDefault(text: string): Value {
  if (text === 'True') return true;
  if (text === 'False') return false;
  if (text === 'None') return null;
  return Number(text);
}

/** Why a layer's count is missing, in words: "in_features did not resolve". */
class Unresolved extends Error {}

function int(args: Args, name: string): number {
  const value = args[name];
  if (typeof value === 'boolean' || typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new Unresolved(name);
  return value;
}

function flag(args: Args, name: string): boolean {
  const value = args[name];
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (value === null) return false;
  throw new Unresolved(name);
}

/** An int or a tuple of `n` ints (`kernel_size=3` or `(3, 5)`). */
function ints(args: Args, name: string, n: number): number[] {
  const value = args[name];
  if (typeof value === 'number') return Array.from({ length: n }, () => int(args, name));
  if (isObject(value, 'list') && value.items.length === n) return value.items.map((item) => int({ [name]: item }, name));
  throw new Unresolved(name);
}

function product(values: number[]): number {
  return values.reduce((a, b) => a * b, 1);
}

/**
 * Fills `target` with the parameters (and submodules) of built-in layer `type`. Returns false when
 * the type is not one this file knows; records a note on `target` when an argument did not resolve.
 */
export function buildLayer(type: string, call: LayerCall, target: ModuleValue, context: LayerContext): boolean {
  if (PARAMETER_FREE.has(type)) {
    target.layer = { type, args: bindLoose(call) };
    return true;
  }
  if (!(type in SIGNATURES)) return false;
  const args = bind(type, call);
  target.layer = { type, args };
  try {
    fill(type, args, target, context);
  } catch (error) {
    if (!(error instanceof Unresolved)) throw error;
    target.params.clear();
    target.children.clear();
    target.layer = undefined;
    target.unresolved.push(`${call.describe}: ${/\s/.test(error.message) ? error.message : `${error.message} did not resolve`}`);
  }
  return true;
}

/** Parameter-free layers keep their arguments by position and name, for shape propagation. */
function bindLoose(call: LayerCall): Args {
  const args: Args = {};
  call.positional.forEach((v, i) => (args[`#${i}`] = v));
  for (const [k, v] of call.keywords) args[k] = v;
  return args;
}

function fill(type: string, a: Args, m: ModuleValue, context: LayerContext): void {
  const { ids } = context;
  const param = (name: string, numel: number): void => {
    // Sizes past 1e15 parameters are not real models and not exact in floating point.
    if (!Number.isSafeInteger(numel) || numel > MAX_TENSOR) throw new Unresolved('a size too large to count exactly');
    m.params.set(name, newTensor(ids, numel, true));
  };
  const child = (name: string, childType: string, args: Args): ModuleValue => {
    const sub = newModule(ids, childType, true);
    sub.layer = { type: childType, args };
    fill(childType, { ...bindDefaults(childType), ...args }, sub, context);
    m.children.set(name, sub);
    return sub;
  };
  switch (type) {
    case 'Linear':
      param('weight', int(a, 'in_features') * int(a, 'out_features'));
      if (flag(a, 'bias')) param('bias', int(a, 'out_features'));
      return;
    case 'Bilinear':
      param('weight', int(a, 'out_features') * int(a, 'in1_features') * int(a, 'in2_features'));
      if (flag(a, 'bias')) param('bias', int(a, 'out_features'));
      return;
    case 'Conv1d':
    case 'Conv2d':
    case 'Conv3d':
    case 'ConvTranspose1d':
    case 'ConvTranspose2d':
    case 'ConvTranspose3d': {
      const dims = Number(type.at(-2));
      const kernel = product(ints(a, 'kernel_size', dims));
      const groups = int(a, 'groups');
      const [inC, outC] = [int(a, 'in_channels'), int(a, 'out_channels')];
      if (groups === 0 || inC % groups || outC % groups) throw new Unresolved('groups');
      // Conv weight: (out, in/groups, *k); ConvTranspose weight: (in, out/groups, *k).
      param('weight', (type.startsWith('ConvTranspose') ? inC * (outC / groups) : outC * (inC / groups)) * kernel);
      if (flag(a, 'bias')) param('bias', outC);
      return;
    }
    case 'Embedding':
    case 'EmbeddingBag':
      param('weight', int(a, 'num_embeddings') * int(a, 'embedding_dim'));
      return;
    case 'RNN':
    case 'LSTM':
    case 'GRU':
      recurrent(type, a, param);
      return;
    case 'RNNCell':
    case 'LSTMCell':
    case 'GRUCell': {
      const gates = type === 'LSTMCell' ? 4 : type === 'GRUCell' ? 3 : 1;
      const [input, hidden] = [int(a, 'input_size'), int(a, 'hidden_size')];
      param('weight_ih', gates * hidden * input);
      param('weight_hh', gates * hidden * hidden);
      if (flag(a, 'bias')) {
        param('bias_ih', gates * hidden);
        param('bias_hh', gates * hidden);
      }
      return;
    }
    case 'BatchNorm1d':
    case 'BatchNorm2d':
    case 'BatchNorm3d':
    case 'SyncBatchNorm':
    case 'InstanceNorm1d':
    case 'InstanceNorm2d':
    case 'InstanceNorm3d':
      if (flag(a, 'affine')) {
        param('weight', int(a, 'num_features'));
        param('bias', int(a, 'num_features'));
      }
      return;
    case 'LayerNorm': {
      const shape = a.normalized_shape;
      const numel = isObject(shape, 'list') ? product(shape.items.map((item) => int({ normalized_shape: item }, 'normalized_shape'))) : int(a, 'normalized_shape');
      if (flag(a, 'elementwise_affine')) {
        param('weight', numel);
        if (flag(a, 'bias')) param('bias', numel);
      }
      return;
    }
    case 'GroupNorm':
      if (flag(a, 'affine')) {
        param('weight', int(a, 'num_channels'));
        param('bias', int(a, 'num_channels'));
      }
      return;
    case 'PReLU':
      param('weight', int(a, 'num_parameters'));
      return;
    case 'MultiheadAttention': {
      const e = int(a, 'embed_dim');
      const kdim = a.kdim === null ? e : int(a, 'kdim');
      const vdim = a.vdim === null ? e : int(a, 'vdim');
      if (kdim === e && vdim === e) param('in_proj_weight', 3 * e * e);
      else {
        param('q_proj_weight', e * e);
        param('k_proj_weight', e * kdim);
        param('v_proj_weight', e * vdim);
      }
      const bias = flag(a, 'bias');
      if (bias) param('in_proj_bias', 3 * e);
      if (flag(a, 'add_bias_kv')) {
        param('bias_k', e);
        param('bias_v', e);
      }
      child('out_proj', 'Linear', { in_features: e, out_features: e, bias });
      return;
    }
    case 'TransformerEncoderLayer':
    case 'TransformerDecoderLayer': {
      const d = int(a, 'd_model');
      const ff = int(a, 'dim_feedforward');
      int(a, 'nhead');
      const bias = flag(a, 'bias');
      child('self_attn', 'MultiheadAttention', { embed_dim: d, bias });
      const decoder = type === 'TransformerDecoderLayer';
      if (decoder) child('multihead_attn', 'MultiheadAttention', { embed_dim: d, bias });
      child('linear1', 'Linear', { in_features: d, out_features: ff, bias });
      child('linear2', 'Linear', { in_features: ff, out_features: d, bias });
      for (const name of decoder ? ['norm1', 'norm2', 'norm3'] : ['norm1', 'norm2']) child(name, 'LayerNorm', { normalized_shape: d, bias });
      return;
    }
    case 'TransformerEncoder':
    case 'TransformerDecoder': {
      const layer = type === 'TransformerEncoder' ? a.encoder_layer : a.decoder_layer;
      const n = int(a, 'num_layers');
      if (!isObject(layer, 'module')) throw new Unresolved(type === 'TransformerEncoder' ? 'encoder_layer' : 'decoder_layer');
      const copies = context.clone(layer, n);
      if (!copies) throw new Unresolved('num_layers');
      const list = newModule(ids, 'ModuleList', true);
      copies.forEach((copy, i) => list.children.set(String(i), copy));
      // The clones keep what did not resolve inside the layer.
      m.children.set('layers', list);
      if (isObject(a.norm, 'module')) m.children.set('norm', a.norm);
      else if (a.norm !== null) throw new Unresolved('norm');
      return;
    }
    case 'Transformer': {
      const d = int(a, 'd_model');
      const bias = flag(a, 'bias');
      const stack = (kind: 'Encoder' | 'Decoder', layers: number, custom: Value): void => {
        const name = kind === 'Encoder' ? 'encoder' : 'decoder';
        if (isObject(custom, 'module')) return void m.children.set(name, custom);
        if (custom !== null) throw new Unresolved(`custom_${name}`);
        const single = newModule(ids, `Transformer${kind}Layer`, true);
        fill(single.type, { ...bindDefaults(single.type), d_model: d, nhead: a.nhead, dim_feedforward: a.dim_feedforward, bias }, single, context);
        const wrapper = newModule(ids, `Transformer${kind}`, true);
        const copies = context.clone(single, layers);
        if (!copies) throw new Unresolved(`num_${name}_layers`);
        const list = newModule(ids, 'ModuleList', true);
        copies.forEach((copy, i) => list.children.set(String(i), copy));
        wrapper.children.set('layers', list);
        const norm = newModule(ids, 'LayerNorm', true);
        fill('LayerNorm', { normalized_shape: d, elementwise_affine: true, bias }, norm, context);
        wrapper.children.set('norm', norm);
        m.children.set(name, wrapper);
      };
      stack('Encoder', int(a, 'num_encoder_layers'), a.custom_encoder);
      stack('Decoder', int(a, 'num_decoder_layers'), a.custom_decoder);
      return;
    }
  }
}

function bindDefaults(type: string): Args {
  return bind(type, { positional: [], keywords: new Map(), describe: type });
}

/**
 * RNN/LSTM/GRU: per layer and direction `weight_ih` (G·H × input), `weight_hh` (G·H × P), two biases
 * of G·H, and for LSTM with `proj_size` P a `weight_hr` (P × H); layers after the first take P·D
 * inputs (P = H without projection). G = 1, 4, 3 gates for RNN, LSTM, GRU.
 */
function recurrent(type: string, a: Args, param: (name: string, numel: number) => void): void {
  const gates = type === 'LSTM' ? 4 : type === 'GRU' ? 3 : 1;
  const input = int(a, 'input_size');
  const hidden = int(a, 'hidden_size');
  const layers = int(a, 'num_layers');
  const directions = flag(a, 'bidirectional') ? 2 : 1;
  const proj = type === 'LSTM' ? int(a, 'proj_size') : 0;
  const out = proj > 0 ? proj : hidden;
  const bias = flag(a, 'bias');
  if (layers > 10_000) throw new Unresolved('num_layers');
  for (let layer = 0; layer < layers; layer++) {
    const layerInput = layer === 0 ? input : out * directions;
    for (let direction = 0; direction < directions; direction++) {
      const suffix = `_l${layer}${direction ? '_reverse' : ''}`;
      param(`weight_ih${suffix}`, gates * hidden * layerInput);
      param(`weight_hh${suffix}`, gates * hidden * out);
      if (bias) {
        param(`bias_ih${suffix}`, gates * hidden);
        param(`bias_hh${suffix}`, gates * hidden);
      }
      if (proj > 0) param(`weight_hr${suffix}`, proj * hidden);
    }
  }
}
