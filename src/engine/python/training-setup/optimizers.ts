import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import { resolveValue } from './config-values';

/** Optimizers grouped by how their learning rate behaves; each family has one plausible range. */
export type OptimizerFamily = 'adam' | 'sgd' | 'sgd-momentum' | 'rmsprop' | 'adagrad' | 'adadelta' | 'lbfgs';

export type OptimizerFramework = 'PyTorch' | 'Keras' | 'optax' | 'transformers';

/** One optimizer constructor call, with where its learning rate is written. */
export interface OptimizerCall {
  call: Node;
  /** Class or function name as the framework spells it: `Adam`, `SGD`, `adamw`. */
  name: string;
  framework: OptimizerFramework;
  family: OptimizerFamily;
  /** The learning-rate argument, when given. */
  lr?: Node;
  /** The framework's default learning rate, used when none is given (undefined: required argument). */
  defaultLr?: number;
  /** The parameters argument (PyTorch only). */
  params?: Node;
}

/**
 * Default learning rates, from each framework's reference: PyTorch `torch.optim` (2.x signatures;
 * SGD's lr was a required argument before 2.0), Keras 3 `keras.optimizers`. optax has no defaults.
 */
const TORCH: Record<string, { family: OptimizerFamily; lr: number }> = {
  SGD: { family: 'sgd', lr: 1e-3 },
  Adam: { family: 'adam', lr: 1e-3 },
  AdamW: { family: 'adam', lr: 1e-3 },
  NAdam: { family: 'adam', lr: 2e-3 },
  RAdam: { family: 'adam', lr: 1e-3 },
  Adamax: { family: 'adam', lr: 2e-3 },
  RMSprop: { family: 'rmsprop', lr: 1e-2 },
  Adagrad: { family: 'adagrad', lr: 1e-2 },
  Adadelta: { family: 'adadelta', lr: 1.0 },
  LBFGS: { family: 'lbfgs', lr: 1 },
};

const KERAS: Record<string, { family: OptimizerFamily; lr: number }> = {
  SGD: { family: 'sgd', lr: 0.01 },
  Adam: { family: 'adam', lr: 1e-3 },
  AdamW: { family: 'adam', lr: 1e-3 },
  Nadam: { family: 'adam', lr: 1e-3 },
  Adamax: { family: 'adam', lr: 1e-3 },
  RMSprop: { family: 'rmsprop', lr: 1e-3 },
  Adagrad: { family: 'adagrad', lr: 1e-3 },
  Adadelta: { family: 'adadelta', lr: 1e-3 },
};

const OPTAX: Record<string, OptimizerFamily> = {
  adam: 'adam',
  adamw: 'adam',
  nadam: 'adam',
  nadamw: 'adam',
  radam: 'adam',
  adamax: 'adam',
  sgd: 'sgd',
  rmsprop: 'rmsprop',
  adagrad: 'adagrad',
  adadelta: 'adadelta',
};

const TORCH_NAME = /^torch\.optim\.(?:[a-z_]+\.)?([A-Za-z]+)$/;
const KERAS_NAME = /^(?:tensorflow\.(?:python\.)?|tf_keras\.)?keras\.optimizers\.(?:legacy\.|experimental\.)?([A-Za-z]+)$|^tf_keras\.optimizers\.(?:legacy\.)?([A-Za-z]+)$/;
const OPTAX_NAME = /^optax\.([a-z]+)$/;

/** The optimizer a call constructs, or undefined for any other call. */
export function optimizerCall(file: PythonFile, call: Node): OptimizerCall | undefined {
  const qualified = file.calleeName(call);
  if (!qualified) return undefined;
  let match = TORCH_NAME.exec(qualified);
  if (match && TORCH[match[1]]) {
    const { family, lr } = TORCH[match[1]];
    const positional = file.positionalArguments(call);
    const params = file.keywordArgument(call, 'params') ?? positional[0];
    const lrNode = file.keywordArgument(call, 'lr') ?? (file.keywordArgument(call, 'params') ? positional[0] : positional[1]);
    const momentum = family === 'sgd' ? sgdFamily(file, call, positional[2]) : family;
    return { call, name: match[1], framework: 'PyTorch', family: momentum, lr: lrNode, defaultLr: lr, params };
  }
  if (qualified === 'transformers.AdamW' || qualified === 'transformers.optimization.AdamW') {
    const positional = file.positionalArguments(call);
    return { call, name: 'AdamW', framework: 'transformers', family: 'adam', lr: file.keywordArgument(call, 'lr') ?? positional[1], defaultLr: 1e-3, params: file.keywordArgument(call, 'params') ?? positional[0] };
  }
  match = KERAS_NAME.exec(qualified);
  const kerasName = match && (match[1] ?? match[2]);
  if (kerasName && KERAS[kerasName]) {
    const { family, lr } = KERAS[kerasName];
    const positional = file.positionalArguments(call);
    // Keras 2 accepted the legacy `lr=` spelling; Keras 3 only `learning_rate=`.
    const lrNode = file.keywordArgument(call, 'learning_rate') ?? file.keywordArgument(call, 'lr') ?? positional[0];
    const resolvedFamily = family === 'sgd' ? sgdFamily(file, call, positional[1]) : family;
    return { call, name: kerasName, framework: 'Keras', family: resolvedFamily, lr: lrNode, defaultLr: lr };
  }
  match = OPTAX_NAME.exec(qualified);
  if (match && OPTAX[match[1]]) {
    const family = OPTAX[match[1]];
    const lrNode = file.keywordArgument(call, 'learning_rate') ?? file.positionalArguments(call)[0];
    const resolvedFamily = family === 'sgd' ? sgdFamily(file, call, file.positionalArguments(call)[1]) : family;
    return { call, name: match[1], framework: 'optax', family: resolvedFamily, lr: lrNode };
  }
  return undefined;
}

/**
 * SGD with momentum takes ~1/(1-β) times larger steps than plain SGD at the same lr, so the two have
 * different ranges. Momentum that does not resolve counts as plain SGD, whose range is the wider one.
 */
function sgdFamily(file: PythonFile, call: Node, positionalMomentum: Node | undefined): OptimizerFamily {
  // torch: SGD(params, lr, momentum, ...); Keras and optax: SGD(learning_rate, momentum, ...).
  const node = file.keywordArgument(call, 'momentum') ?? positionalMomentum;
  const nesterov = resolveValue(file, file.keywordArgument(call, 'nesterov'))?.value === true;
  const value = resolveValue(file, node)?.value;
  return (typeof value === 'number' && value > 0) || nesterov ? 'sgd-momentum' : 'sgd';
}

/** Every optimizer constructed in the file, in document order. */
export function optimizerCalls(file: PythonFile): OptimizerCall[] {
  const memo = file.memo.get('optimizer-calls');
  if (memo) return memo as OptimizerCall[];
  const found: OptimizerCall[] = [];
  for (const call of file.calls) {
    const optimizer = optimizerCall(file, call);
    if (optimizer) found.push(optimizer);
  }
  file.memo.set('optimizer-calls', found);
  return found;
}
