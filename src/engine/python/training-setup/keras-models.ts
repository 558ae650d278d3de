import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import { constructorOf, valuesAssignedTo } from './assignments';
import { calledFunction, receiver } from './reachable-calls';

/** Whether the file imports TensorFlow or Keras. */
export function importsKeras(file: PythonFile): boolean {
  for (const binding of file.imports.values()) if (/^(tensorflow|keras|tf_keras)(\.|$)/.test(binding.qualified)) return true;
  return false;
}

/**
 * The `compile(...)` call of a Keras model held by a name (`model`, `self.model`): `model.compile(...)`
 * in this file, or the one inside the helper of this file the model comes from (`model = build_model()`).
 * Scikit-learn estimators have `fit` too but never `compile`.
 */
export function kerasCompileCall(file: PythonFile, name: string): Node | undefined {
  if (!importsKeras(file)) return undefined;
  const direct = file.calls.find((c) => file.calleeTail(c) === 'compile' && receiver(c)?.text === name);
  if (direct) return direct;
  for (const value of valuesAssignedTo(file, name)) {
    const helper = value.type === 'call' ? calledFunction(file, value) : undefined;
    const inner = helper?.descendantsOfType('call').find((c) => c !== null && file.calleeTail(c) === 'compile' && receiver(c) !== undefined);
    if (inner) return inner;
  }
  return undefined;
}

/** `keras.Sequential(...)`, `tf.keras.Model(...)`, `keras.models.Sequential(...)`, through any alias. */
function kerasModelConstructor(file: PythonFile, call: Node): 'Sequential' | 'Model' | undefined {
  const name = file.calleeName(call) ?? '';
  const match = /^(tensorflow\.keras|tensorflow\.python\.keras|keras|tf_keras)(\.models)?\.(Sequential|Model)$/.exec(name);
  return match ? (match[3] as 'Sequential' | 'Model') : undefined;
}

/** What the last layer of a Keras model does to its output. */
export interface KerasOutput {
  /** The call that builds the last layer: `layers.Dense(10, activation="softmax")`. */
  layer: Node;
  /** `softmax`, `sigmoid`, `linear` (no activation) or another activation's name. */
  activation: string;
}

/**
 * The last layer of a Keras model, when it resolves: the last entry of `Sequential([...])` or of the
 * `model.add(...)` calls, or the layer whose output is `Model(inputs, outputs)`'s `outputs`. Undefined
 * when anything is unclear (several bindings, `pop()`, a list of outputs, a custom layer).
 */
export function kerasOutput(file: PythonFile, name: string): KerasOutput | undefined {
  const built = constructorOf(file, name);
  const kind = built && kerasModelConstructor(file, built);
  if (!built || !kind) return undefined;
  const methods = file.calls.filter((c) => receiver(c)?.text === name);
  if (methods.some((c) => file.calleeTail(c) === 'pop')) return undefined;
  let layer: Node | undefined;
  if (kind === 'Sequential') {
    const adds = methods.filter((c) => file.calleeTail(c) === 'add');
    const list = file.keywordArgument(built, 'layers') ?? file.positionalArguments(built)[0];
    if (adds.length) layer = file.positionalArguments(adds[adds.length - 1])[0];
    else if (list?.type === 'list') layer = list.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment').pop();
  } else {
    const outputs = file.keywordArgument(built, 'outputs') ?? file.positionalArguments(built)[1];
    layer = outputs ? appliedLayer(file, outputs) : undefined;
  }
  if (layer?.type !== 'call') return undefined;
  const activation = layerActivation(file, layer);
  return activation ? { layer, activation } : undefined;
}

/** `outputs` in the functional API: `layers.Dense(10)(x)` directly or through one variable. */
function appliedLayer(file: PythonFile, outputs: Node): Node | undefined {
  let value: Node | undefined = outputs;
  if (outputs.type === 'identifier') {
    const bound = valuesAssignedTo(file, outputs.text);
    value = bound.length === 1 ? bound[0] : undefined;
  }
  const fn = value?.type === 'call' ? value.childForFieldName('function') : undefined;
  return fn?.type === 'call' ? fn : undefined;
}

/** The activation a Keras layer applies last, or undefined for layers whose output DL Doctor cannot tell. */
export function layerActivation(file: PythonFile, layer: Node): string | undefined {
  const name = file.calleeName(layer) ?? '';
  if (!/^(tensorflow\.keras|tensorflow\.python\.keras|keras|tf_keras)\./.test(name)) return undefined;
  const tail = name.split('.').pop();
  if (tail === 'Softmax') return 'softmax';
  if (tail === 'Activation') return activationName(file, file.keywordArgument(layer, 'activation') ?? file.positionalArguments(layer)[0]);
  if (tail !== 'Dense') return undefined;
  const activation = file.keywordArgument(layer, 'activation') ?? file.positionalArguments(layer)[1];
  return activation ? activationName(file, activation) : 'linear';
}

/** `"softmax"`, `tf.nn.softmax`, `keras.activations.softmax`, `None` → a lower-case name. */
function activationName(file: PythonFile, node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const value = file.evaluate(node);
  if (value?.value === null) return 'linear';
  if (typeof value?.value === 'string') return value.value.toLowerCase();
  const qualified = file.qualifiedName(node);
  return qualified ? qualified.split('.').pop()!.toLowerCase() : undefined;
}

/** A Keras cross-entropy loss as `compile` receives it. */
export interface KerasLoss {
  /** The `loss=` argument. */
  node: Node;
  family: 'categorical' | 'binary';
  fromLogits: boolean;
  /** How the loss was written, for messages: `"sparse_categorical_crossentropy"`, `SparseCategoricalCrossentropy(from_logits=True)`. */
  label: string;
}

const LOSS_FAMILIES: Record<string, 'categorical' | 'binary'> = {
  sparse_categorical_crossentropy: 'categorical',
  categorical_crossentropy: 'categorical',
  binary_crossentropy: 'binary',
  SparseCategoricalCrossentropy: 'categorical',
  CategoricalCrossentropy: 'categorical',
  BinaryCrossentropy: 'binary',
};

/** The cross-entropy loss a `model.compile(...)` call configures, when it resolves (through one variable). */
export function kerasLoss(file: PythonFile, compile: Node): KerasLoss | undefined {
  const node = file.keywordArgument(compile, 'loss') ?? file.positionalArguments(compile)[1];
  if (!node) return undefined;
  let value: Node = node;
  if (node.type === 'identifier') {
    const bound = valuesAssignedTo(file, node.text);
    if (bound.length !== 1) return undefined;
    value = bound[0];
  }
  const literal = file.evaluate(value)?.value;
  if (typeof literal === 'string') {
    const family = LOSS_FAMILIES[literal];
    return family && literal === literal.toLowerCase() ? { node, family, fromLogits: false, label: `"${literal}"` } : undefined;
  }
  const qualified = value.type === 'call' ? file.calleeName(value) : file.qualifiedName(value);
  if (!qualified || !/^(tensorflow\.keras|tensorflow\.python\.keras|keras|tf_keras)\.(losses\.)?\w+$/.test(qualified)) return undefined;
  const family = LOSS_FAMILIES[qualified.split('.').pop()!];
  if (!family) return undefined;
  if (value.type !== 'call') return { node, family, fromLogits: false, label: value.text };
  if (file.hasSplat(value)) return undefined;
  const flag = file.keywordArgument(value, 'from_logits') ?? file.positionalArguments(value)[0];
  const fromLogits = flag ? file.evaluate(flag)?.value : false;
  if (typeof fromLogits !== 'boolean') return undefined;
  return { node, family, fromLogits, label: value.text.replace(/\s+/g, ' ') };
}
