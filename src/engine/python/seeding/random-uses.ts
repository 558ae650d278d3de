import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import { normalizeKeras, type Framework } from './frameworks';

/**
 * Which calls draw from a global random number generator. Sources: the Python `random` module docs,
 * NumPy's legacy `numpy.random` API, `torch.nn.init`, the torch.nn layers whose `reset_parameters`
 * draws random weights, Keras layers with kernel initializers or random behaviour.
 */
const PY_RANDOM = new Set([
  'random', 'randint', 'randrange', 'choice', 'choices', 'shuffle', 'sample', 'uniform', 'gauss',
  'normalvariate', 'lognormvariate', 'expovariate', 'vonmisesvariate', 'gammavariate', 'triangular',
  'betavariate', 'paretovariate', 'weibullvariate', 'getrandbits', 'randbytes', 'binomialvariate',
]);

const NUMPY_LEGACY = new Set([
  'rand', 'randn', 'randint', 'random', 'random_sample', 'ranf', 'sample', 'choice', 'bytes', 'shuffle',
  'permutation', 'beta', 'binomial', 'chisquare', 'dirichlet', 'exponential', 'f', 'gamma', 'geometric',
  'gumbel', 'hypergeometric', 'laplace', 'logistic', 'lognormal', 'logseries', 'multinomial',
  'multivariate_normal', 'negative_binomial', 'noncentral_chisquare', 'noncentral_f', 'normal', 'pareto',
  'poisson', 'power', 'rayleigh', 'standard_cauchy', 'standard_exponential', 'standard_gamma',
  'standard_normal', 'standard_t', 'triangular', 'uniform', 'vonmises', 'wald', 'weibull', 'zipf',
  'random_integers',
]);

/** Generators that are seeded when given an argument and draw from OS entropy when not. */
const NUMPY_GENERATORS = new Set(['default_rng', 'RandomState']);

const TORCH_SAMPLING = new Set([
  'rand', 'randn', 'randint', 'randperm', 'rand_like', 'randn_like', 'randint_like', 'bernoulli',
  'multinomial', 'normal', 'poisson',
]);

/** torch.nn.init functions that do NOT draw random numbers. */
const TORCH_INIT_DETERMINISTIC = new Set([
  'calculate_gain', 'constant_', 'ones_', 'zeros_', 'eye_', 'dirac_', 'constant', 'ones', 'zeros', 'eye', 'dirac',
]);

/** torch.nn modules whose constructor initialises weights randomly, or that are random in training. */
const TORCH_RANDOM_MODULES = new Set([
  'Linear', 'Bilinear', 'LazyLinear', 'Conv1d', 'Conv2d', 'Conv3d', 'ConvTranspose1d', 'ConvTranspose2d',
  'ConvTranspose3d', 'LazyConv1d', 'LazyConv2d', 'LazyConv3d', 'Embedding', 'EmbeddingBag', 'RNN', 'LSTM',
  'GRU', 'RNNCell', 'LSTMCell', 'GRUCell', 'MultiheadAttention', 'Transformer', 'TransformerEncoderLayer',
  'TransformerDecoderLayer', 'Dropout', 'Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout',
  'FeatureAlphaDropout', 'RReLU',
]);

const TORCH_FUNCTIONAL_RANDOM = new Set([
  'dropout', 'dropout1d', 'dropout2d', 'dropout3d', 'alpha_dropout', 'feature_alpha_dropout', 'rrelu', 'gumbel_softmax',
]);

const TORCH_DATA_RANDOM = new Set(['random_split', 'RandomSampler', 'SubsetRandomSampler', 'WeightedRandomSampler']);

/** torchvision transforms that sample their parameters (beyond the `Random*` family). */
const TORCHVISION_RANDOM_TRANSFORMS = new Set([
  'ColorJitter', 'RandAugment', 'AutoAugment', 'TrivialAugmentWide', 'AugMix', 'ElasticTransform', 'GaussianBlur',
]);

/** In-place sampling methods of torch.Tensor; their receiver cannot be typed statically. */
const TENSOR_RANDOM_METHODS = new Set([
  'uniform_', 'normal_', 'bernoulli_', 'random_', 'exponential_', 'geometric_', 'cauchy_', 'log_normal_',
]);

const TF_RANDOM = new Set([
  'normal', 'uniform', 'truncated_normal', 'shuffle', 'categorical', 'gamma', 'poisson', 'experimental.stateless_shuffle',
]);

/** Keras layers with randomly initialised weights or random behaviour in training. */
const KERAS_RANDOM_LAYERS = new Set([
  'Dense', 'EinsumDense', 'Conv1D', 'Conv2D', 'Conv3D', 'Convolution1D', 'Convolution2D', 'Convolution3D',
  'Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose', 'SeparableConv1D', 'SeparableConv2D',
  'DepthwiseConv1D', 'DepthwiseConv2D', 'Embedding', 'LSTM', 'GRU', 'SimpleRNN', 'LSTMCell', 'GRUCell',
  'SimpleRNNCell', 'ConvLSTM1D', 'ConvLSTM2D', 'ConvLSTM3D', 'MultiHeadAttention', 'LocallyConnected1D',
  'LocallyConnected2D', 'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'SpatialDropout3D', 'GaussianNoise',
  'GaussianDropout', 'AlphaDropout', 'RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomCrop',
  'RandomTranslation', 'RandomContrast', 'RandomBrightness', 'RandomHeight', 'RandomWidth',
]);

/**
 * `init`: random initial weights (layer constructors, initialisers, untrained model builders), which
 * stop mattering once trained weights are loaded over them. `draw`: everything else (shuffles, dropout
 * masks in functional form, sampling, augmentation).
 */
export type RandomKind = 'init' | 'draw';

export interface RandomUse {
  framework: Framework;
  kind: RandomKind;
  call: Node;
}

export interface RandomUseKind {
  framework: Framework;
  kind: RandomKind;
}

/** The global generator a call draws from and how, or undefined (including calls given their own generator or seed). */
export function classifyRandomUse(file: PythonFile, call: Node, importsFramework: (f: Framework) => boolean): RandomUseKind | undefined {
  const framework = randomUseOf(file, call, importsFramework);
  if (!framework) return undefined;
  // An explicit generator (torch) or op-level seed (TensorFlow) makes the call reproducible on its own.
  if (framework === 'torch' && file.keywordArgument(call, 'generator')) return undefined;
  if (framework === 'tensorflow' && file.keywordArgument(call, 'seed')) return undefined;
  return { framework, kind: isInitialisation(file.calleeName(call)) ? 'init' : 'draw' };
}

function isInitialisation(qualified: string | undefined): boolean {
  if (!qualified) return false;
  const tail = qualified.slice(qualified.lastIndexOf('.') + 1);
  const parent = qualified.slice(0, qualified.lastIndexOf('.'));
  if (parent === 'torch.nn.init' || parent.startsWith('torchvision.models') || qualified === 'timm.create_model') return true;
  if ((parent === 'torch.nn' || parent.startsWith('torch.nn.modules')) && !tail.includes('Dropout') && tail !== 'RReLU') return true;
  const keras = normalizeKeras(qualified);
  return keras.startsWith('keras.applications.') || (keras.startsWith('keras.layers.') && !/Dropout|Noise|^Random/.test(tail));
}

/** The framework whose global generator this call draws from, or undefined. */
function randomUseOf(file: PythonFile, call: Node, importsFramework: (f: Framework) => boolean): Framework | undefined {
  const qualified = file.calleeName(call);
  if (qualified === undefined) return unresolvedRandomUse(file, call, importsFramework);
  const tail = qualified.slice(qualified.lastIndexOf('.') + 1);
  const parent = qualified.slice(0, qualified.lastIndexOf('.'));

  if (parent === 'random') {
    if (PY_RANDOM.has(tail)) return 'random';
    if (tail === 'Random' && noArguments(file, call)) return 'random';
    return undefined;
  }
  if (parent === 'numpy.random') {
    if (NUMPY_LEGACY.has(tail)) return 'numpy';
    if (NUMPY_GENERATORS.has(tail) && noArguments(file, call)) return 'numpy';
    return undefined;
  }
  if (parent === 'torch' || parent === 'torch.random') return TORCH_SAMPLING.has(tail) ? 'torch' : undefined;
  if (parent === 'torch.nn.init') return TORCH_INIT_DETERMINISTIC.has(tail) ? undefined : 'torch';
  if (parent === 'torch.nn' || parent.startsWith('torch.nn.modules')) return TORCH_RANDOM_MODULES.has(tail) ? 'torch' : undefined;
  if (parent === 'torch.nn.functional') return TORCH_FUNCTIONAL_RANDOM.has(tail) ? 'torch' : undefined;
  if (parent.startsWith('torch.utils.data')) {
    if (TORCH_DATA_RANDOM.has(tail)) return 'torch';
    if (tail === 'DataLoader' && file.evaluate(file.keywordArgument(call, 'shuffle'))?.value === true) return 'torch';
    return undefined;
  }
  if (parent === 'torchvision.transforms' || parent === 'torchvision.transforms.v2') {
    return tail.startsWith('Random') || TORCHVISION_RANDOM_TRANSFORMS.has(tail) ? 'torch' : undefined;
  }
  if (parent === 'torchvision.models' || parent.startsWith('torchvision.models.')) {
    // Weight enums (`ResNet18_Weights.DEFAULT.transforms()`) live here too; constructors are lowercase.
    if (/[A-Z]/.test(parent)) return undefined;
    return isUntrainedTorchvisionModel(file, call, tail) ? 'torch' : undefined;
  }
  if (qualified === 'timm.create_model') {
    return file.evaluate(file.keywordArgument(call, 'pretrained'))?.value === true ? undefined : 'torch';
  }
  if (parent === 'tensorflow.random') return TF_RANDOM.has(tail) ? 'tensorflow' : undefined;

  const keras = normalizeKeras(qualified);
  if (keras.startsWith('keras.layers.')) return KERAS_RANDOM_LAYERS.has(tail) ? 'tensorflow' : undefined;
  if (keras.startsWith('keras.applications.')) {
    // Applications load ImageNet weights by default; only `weights=None` trains from random init.
    const weights = file.keywordArgument(call, 'weights');
    return weights && file.evaluate(weights)?.value === null ? 'tensorflow' : undefined;
  }
  return undefined;
}

/** Calls whose receiver is not an import: tensor sampling methods and `tf.data` shuffles. */
function unresolvedRandomUse(file: PythonFile, call: Node, importsFramework: (f: Framework) => boolean): Framework | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return undefined;
  const tail = fn.childForFieldName('attribute')?.text ?? '';
  if (TENSOR_RANDOM_METHODS.has(tail) && importsFramework('torch')) return 'torch';
  if (
    tail === 'shuffle' &&
    importsFramework('tensorflow') &&
    !importsFramework('torch') &&
    !file.keywordArgument(call, 'seed') &&
    file.positionalArguments(call).length <= 1
  ) {
    return 'tensorflow';
  }
  return undefined;
}

function noArguments(file: PythonFile, call: Node): boolean {
  return file.positionalArguments(call).length === 0 && !file.hasSplat(call) && !file.keywordArgument(call, 'seed');
}

/** `resnet18()` or `resnet18(weights=None)`: random init. `pretrained=True` / `weights=...`: loaded weights. */
function isUntrainedTorchvisionModel(file: PythonFile, call: Node, tail: string): boolean {
  if (!/^[a-z][a-z0-9_]*$/.test(tail) || tail === 'get_weight' || tail === 'list_models') return false;
  if (file.hasSplat(call)) return false;
  const pretrained = file.keywordArgument(call, 'pretrained');
  if (pretrained) return file.evaluate(pretrained)?.value === false;
  const weights = file.keywordArgument(call, 'weights');
  if (weights) return file.evaluate(weights)?.value === null;
  return tail !== 'get_model' || file.positionalArguments(call).length > 0;
}
