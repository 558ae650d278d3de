/**
 * Turns a stored Keras model config (Keras 2 `model_config`, Keras 3 `config.json`, a TF.js
 * `modelTopology`) into the Keras 2 form tfjs-layers deserialises, and finds the layers it must not
 * or cannot build. Pure JSON work: nothing here instantiates anything.
 *
 * Keras 3 differences handled (keras-team/keras `keras/src/models/functional.py`, `serialize_node`
 * and `get_config`): `batch_shape` instead of `batch_input_shape`; dtype policy objects instead of
 * dtype strings; `module` / `registered_name` / `build_config` / `compile_config` keys; inbound nodes
 * as `{args, kwargs}` holding `__keras_tensor__` objects with a `keras_history`; a single model input
 * or output stored as one `[layer, node, tensor]` triple instead of a list of them.
 */
import type { UnsupportedLayer } from './layer-analysis-types';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** What TensorFlow.js knows, asked of the loaded library by the caller. */
export interface TfjsVocabulary {
  isLayerClass(className: string): boolean;
  isActivation(name: string): boolean;
}

export interface NormalizedTopology {
  /** The model config tfjs-layers can build; absent when no part of the model can be built. */
  config?: JsonObject;
  /** Top-level layers in file order. */
  layers: { name: string; className: string }[];
  /** How many of `layers` the config holds (a Sequential model is built up to its first unsupported layer). */
  builtLayers: number;
  unsupported: UnsupportedLayer[];
  notes: string[];
  /**
   * Parameters a layer has in Keras but not in its TensorFlow.js counterpart, per top-level layer:
   * a GRU with `reset_after=True` (the Keras default) keeps a second bias of 3 × units.
   */
  extraParameters: Record<string, number>;
}

const MAX_DEPTH = 64;
const MAX_LAYERS = 10_000;
const KERAS_MODULES = /^(keras|tf_keras|tensorflow)(\.|$)/;
const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);
/** Keys of Keras 3 configs that tfjs-layers does not know and that do not change shapes (`module` is checked first). */
const DROPPED_KEYS = new Set(['module', 'registered_name', 'build_config', 'compile_config', 'shared_object_id']);
const CHECKED_KEYS = new Set(['module', 'registered_name']);
const WRAPPERS = new Set(['TimeDistributed', 'Bidirectional']);

export class TopologyError extends Error {}

/** Normalises a stored topology; throws TopologyError when it is not a Keras layers model config. */
export function normalizeTopology(raw: unknown, tfjs: TfjsVocabulary): NormalizedTopology {
  const top = unwrap(raw);
  const className = top.class_name;
  if (typeof className !== 'string' || !MODEL_CLASSES.has(className)) {
    throw new TopologyError(`the stored config describes a ${typeof className === 'string' ? className : 'value without class_name'}, not a Sequential or functional Keras model`);
  }
  const state: WalkState = { tfjs, unsupported: [], notes: new Set(), extraParameters: {} };
  const config = clean(top, 0) as JsonObject;
  const inner = (config.config ?? {}) as JsonObject;
  const rawLayers = Array.isArray(inner.layers) ? (inner.layers as JsonObject[]) : [];
  if (rawLayers.length > MAX_LAYERS) throw new TopologyError(`${rawLayers.length} layers, above the ${MAX_LAYERS}-layer limit`);
  const layers = rawLayers.map((layer) => ({ name: layerName(layer), className: String(layer.class_name ?? '?') }));
  const supported = rawLayers.map((layer) => checkLayer(layer, layerName(layer), 1, state, 0));
  const result = { layers, unsupported: state.unsupported, notes: [...state.notes], extraParameters: state.extraParameters };

  if (className === 'Sequential') {
    const first = supported.indexOf(false);
    const built = first === -1 ? rawLayers.length : first;
    const kept = rawLayers.slice(0, built);
    if (!kept.some((layer) => layer.class_name !== 'InputLayer')) return { ...result, builtLayers: 0 };
    if (!giveSequentialInputShape(kept, inner, top)) {
      result.notes.push('the file records no input shape for this Sequential model, so TensorFlow.js cannot build it; the numbers are the static ones');
      return { ...result, builtLayers: 0 };
    }
    if (built < rawLayers.length) {
      result.notes.push(`TensorFlow.js built the first ${built} of ${rawLayers.length} layers; the layers from '${layers[built].name}' on have the file's parameter counts only`);
    }
    return { ...result, builtLayers: built, config: stripChecked({ class_name: 'Sequential', config: { ...inner, layers: kept } }, 0) as JsonObject };
  }
  if (supported.includes(false)) return { ...result, builtLayers: 0 };
  for (const layer of rawLayers) {
    if (Array.isArray(layer.inbound_nodes)) layer.inbound_nodes = layer.inbound_nodes.map(legacyNode);
  }
  inner.input_layers = tensorList(inner.input_layers);
  inner.output_layers = tensorList(inner.output_layers);
  return { ...result, builtLayers: rawLayers.length, config: stripChecked({ class_name: 'Functional', config: inner }, 0) as JsonObject };
}

interface WalkState {
  tfjs: TfjsVocabulary;
  unsupported: UnsupportedLayer[];
  notes: Set<string>;
  extraParameters: Record<string, number>;
}

/** A TF.js model.json holds the model under `modelTopology`, a Keras 2 JSON sometimes under `model_config`. */
function unwrap(raw: unknown): JsonObject {
  let value = raw as JsonObject | null;
  for (const key of ['modelTopology', 'model_config']) {
    if (value && typeof value === 'object' && !Array.isArray(value) && value[key] && typeof value[key] === 'object') value = value[key] as JsonObject;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new TopologyError('the stored config is not a JSON object');
  return value;
}

/** Generic clean-up at every depth: tuples and shapes to arrays, dtype policies to dtypes, Keras 3-only keys dropped. */
function clean(value: Json | undefined, depth: number): Json {
  if (depth > MAX_DEPTH) throw new TopologyError(`the config nests deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) return value.map((item) => clean(item, depth + 1));
  if (value === undefined || value === null || typeof value !== 'object') return value ?? null;
  if ((value.class_name === '__tuple__' || value.class_name === 'TensorShape') && Array.isArray(value.items)) return clean(value.items, depth + 1);
  if (value.class_name === 'DTypePolicy' || value.class_name === 'Policy' || value.class_name === 'FloatDTypePolicy') {
    const name = (value.config as JsonObject | undefined)?.name;
    return typeof name === 'string' ? name : 'float32';
  }
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    // `__proto__` as a key would replace the copy's prototype.
    if ((DROPPED_KEYS.has(key) && !CHECKED_KEYS.has(key)) || key === '__proto__') continue;
    // Initial values, regularisers and constraints change neither shapes nor MACs; zeros are cheap to allocate.
    if (key.endsWith('_initializer') && child !== null) out[key] = { class_name: 'Zeros', config: {} };
    else if (key.endsWith('_regularizer') || key.endsWith('_constraint')) out[key] = null;
    else out[key === 'batch_shape' ? 'batch_input_shape' : key] = clean(child, depth + 1);
  }
  if (typeof out.dtype === 'string') out.dtype = tfjsDtype(out.dtype);
  return out;
}

/** Drops the keys kept only for checkLayer. */
function stripChecked(value: Json, depth: number): Json {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => stripChecked(item, depth + 1));
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) if (!CHECKED_KEYS.has(key)) out[key] = stripChecked(child, depth + 1);
  return out;
}

/** TensorFlow.js computes in float32 and int32; the stored dtype does not change shapes or MACs. */
function tfjsDtype(dtype: string): string {
  const name = dtype.replace(/^mixed_/, '');
  if (name === 'bool' || name === 'string') return name;
  return /int/.test(name) ? 'int32' : 'float32';
}

function layerName(layer: JsonObject): string {
  const name = (layer.config as JsonObject | undefined)?.name ?? layer.name;
  return typeof name === 'string' ? name : '?';
}

/**
 * Whether TensorFlow.js may build this layer (recursing into wrappers and nested models); records why
 * not. Also rewrites, in place, the few options tfjs-layers lacks but that change no shape.
 */
function checkLayer(layer: JsonObject, owner: string, multiplier: number, state: WalkState, depth: number): boolean {
  if (depth > MAX_DEPTH) throw new TopologyError(`layers nest deeper than ${MAX_DEPTH} levels`);
  const className = typeof layer.class_name === 'string' ? layer.class_name : '?';
  const name = layerName(layer);
  const config = (layer.config && typeof layer.config === 'object' && !Array.isArray(layer.config) ? layer.config : {}) as JsonObject;
  const refuse = (reason: string): false => {
    state.unsupported.push({ layer: name, className, reason });
    return false;
  };
  if (className === 'Lambda') return refuse('a Lambda layer holds Python bytecode; DL Doctor never loads or runs it');
  const { module, registered_name: registered } = layer;
  if (typeof module === 'string' && !KERAS_MODULES.test(module)) return refuse(`a custom layer from the Python module '${module}', which only Python can build`);
  if (typeof registered === 'string' && registered.includes('>')) return refuse(`a custom layer registered as '${registered}', which only Python can build`);
  if (MODEL_CLASSES.has(className)) {
    const inner = Array.isArray(config.layers) ? (config.layers as JsonObject[]) : [];
    const ok = inner.map((child) => checkLayer(child, owner, multiplier, state, depth + 1)).every(Boolean);
    if (ok && className !== 'Sequential') {
      for (const child of inner) if (Array.isArray(child.inbound_nodes)) child.inbound_nodes = child.inbound_nodes.map(legacyNode);
      config.input_layers = tensorList(config.input_layers);
      config.output_layers = tensorList(config.output_layers);
    }
    return ok;
  }
  if (!state.tfjs.isLayerClass(className)) return refuse(`TensorFlow.js has no ${className} layer`);
  if (typeof config.groups === 'number' && config.groups > 1) return refuse(`grouped convolution (groups=${config.groups}) is not in TensorFlow.js`);
  if (config.keepdims === true) return refuse('keepdims=True is not in TensorFlow.js');
  delete config.groups;
  delete config.keepdims;
  // tf.keras 2 separable convolutions also store the `kernel_*` options of their Conv base class, which tfjs-layers refuses.
  if (className.startsWith('Separable') || className === 'DepthwiseConv2D') for (const key of ['kernel_initializer', 'kernel_regularizer', 'kernel_constraint']) delete config[key];
  for (const key of ['activation', 'recurrent_activation']) {
    const activation = config[key];
    if (activation === undefined || activation === null) continue;
    if (typeof activation !== 'string' || !state.tfjs.isActivation(camelCase(activation))) {
      state.notes.add(`activation ${typeof activation === 'string' ? `'${activation}'` : 'object'} of '${name}' is not in TensorFlow.js; it changes neither shapes nor MACs, so it was left out`);
      config[key] = 'linear';
    }
  }
  if (className === 'GRU' && config.reset_after !== false) {
    // Keras's default GRU (reset_after=True) keeps separate input and recurrent biases: 2 × 3 × units
    // where TensorFlow.js's GRU has 3 × units. Shapes and MACs are the same.
    config.reset_after = false;
    const units = typeof config.units === 'number' ? config.units : 0;
    state.extraParameters[owner] = (state.extraParameters[owner] ?? 0) + 3 * units * multiplier;
    state.notes.add(`TensorFlow.js has no GRU with reset_after=True; '${name}' was built without it and its second bias (${3 * units * multiplier} parameters) added to the count`);
  }
  if (WRAPPERS.has(className)) {
    const inner = config.layer;
    if (!inner || typeof inner !== 'object' || Array.isArray(inner)) return refuse(`${className} without the layer it wraps`);
    const ok = checkLayer(inner, owner, className === 'Bidirectional' ? multiplier * 2 : multiplier, state, depth + 1);
    delete config.backward_layer;
    return ok;
  }
  return true;
}

/** tfjs-layers (like its `toCamelCase`) reads snake_case names as camelCase: `hard_sigmoid` → `hardSigmoid`. */
function camelCase(name: string): string {
  return name.replace(/[_-]([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** A Sequential model needs its input shape on its first layer; Keras 3 may keep it elsewhere. */
function giveSequentialInputShape(layers: JsonObject[], inner: JsonObject, top: JsonObject): boolean {
  const first = layers[0]?.config as JsonObject | undefined;
  if (!first) return false;
  if (Array.isArray(first.batch_input_shape) || Array.isArray(first.input_shape)) return true;
  const buildShape = inner.build_input_shape ?? ((top.build_config as JsonObject | undefined)?.input_shape as Json | undefined);
  const shape = clean(buildShape, 0);
  if (!Array.isArray(shape) || !shape.every((d) => d === null || typeof d === 'number')) return false;
  first.batch_input_shape = shape;
  return true;
}

/** A Keras 3 node `{args, kwargs}` as the Keras 2 list of `[layer, node, tensor, kwargs]` tfjs-layers reads. */
function legacyNode(node: Json): Json {
  if (Array.isArray(node)) return node;
  const tensors: Json[] = [];
  const collect = (value: Json | undefined, depth: number): void => {
    if (depth > MAX_DEPTH || value === null || value === undefined || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach((item) => collect(item, depth + 1));
    const history = (value.config as JsonObject | undefined)?.keras_history;
    if (value.class_name === '__keras_tensor__' && Array.isArray(history)) {
      tensors.push([history[0], history[1], history[2], {}]);
      return;
    }
    for (const child of Object.values(value)) collect(child, depth + 1);
  };
  collect((node as JsonObject).args, 0);
  return tensors;
}

/** Model inputs/outputs as a list of `[layer, node, tensor]` (Keras 3 stores a single one bare). */
function tensorList(value: Json | undefined): Json {
  if (Array.isArray(value) && value.length === 3 && typeof value[0] === 'string') return [value];
  if (value && typeof value === 'object' && !Array.isArray(value)) return Object.keys(value).sort().map((key) => (value as JsonObject)[key]);
  return value ?? [];
}
