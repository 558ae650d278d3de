/**
 * The layer topology a model file stores, as parsed JSON, and where each layer's weights sit in the
 * file. Reading only: the HDF5 attribute comes through the HDF5 worker, the `.keras` config from the
 * zip, a TF.js model from model.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readHdf5 } from '../models/keras/hdf5-client';
import { readZipEntries } from '../models/keras/read-keras';
import type { ModelFormat, TensorInfo } from '../models/model-summary';
import { TopologyError } from './keras-config';

const MAX_JSON_BYTES = 64 * 1024 * 1024;

/** Parsed model config of a TF.js Layers model.json, a Keras HDF5 file or a `.keras` archive. */
export async function readStoredTopology(file: string, format: ModelFormat): Promise<unknown> {
  if (format === 'tfjs') {
    if (fs.statSync(file).size > MAX_JSON_BYTES) throw new TopologyError(`model.json is above the ${MAX_JSON_BYTES}-byte limit`);
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { format?: unknown; modelTopology?: unknown };
    if (json.format === 'graph-model' || !json.modelTopology) throw new TopologyError('a TensorFlow.js graph model (a TensorFlow graph, not Keras layers)');
    return json.modelTopology;
  }
  if (format === 'keras') {
    const config = (await readZipEntries(file, ['config.json'])).get('config.json');
    if (!config) throw new TopologyError('the .keras archive has no config.json');
    return parseJson(Buffer.from(config).toString('utf8'), 'config.json');
  }
  if (format === 'keras-h5') {
    const reply = await readHdf5({ file, attributes: ['model_config'], groups: [] });
    if (!reply.ok) throw new TopologyError(`cannot read the HDF5 attributes: ${reply.error}`);
    if (!reply.attributes.model_config) throw new TopologyError('an HDF5 file with weights only (no model_config attribute: saved with save_weights)');
    return parseJson(reply.attributes.model_config, 'the model_config attribute');
  }
  throw new TopologyError(`${path.basename(file)} is a ${format} file, which stores tensors, not Keras layers`);
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new TopologyError(`${what} is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Weight values per top-level layer as the file stores them. Keras 2 HDF5 groups weights by layer
 * name (`model_weights/<name>/…`), TF.js by layer-name prefix (`<name>/kernel`); Keras 3 `.keras`
 * by the snake_case class name and a per-class counter (`layers/dense_1/vars/0`: keras-team/keras
 * `keras/src/saving/saving_lib.py`, `_save_container_state`, which deliberately avoids layer names).
 */
export function storedLayerParameters(format: ModelFormat, layers: { name: string; className: string }[], tensors: TensorInfo[]): number[] {
  const perClass = new Map<string, number>();
  const prefixes = layers.map(({ name, className }) => {
    if (format === 'keras-h5') return `model_weights/${name}/`;
    if (format === 'tfjs') return `${name}/`;
    const base = snakeCase(className);
    const seen = perClass.get(base);
    perClass.set(base, seen === undefined ? 0 : seen + 1);
    return `layers/${seen === undefined ? base : `${base}_${seen + 1}`}/`;
  });
  return prefixes.map((prefix) => tensors.filter((t) => t.name.startsWith(prefix)).reduce((sum, t) => sum + t.numel, 0));
}

/** Keras's `naming.to_snake_case`: `Conv2DTranspose` → `conv2d_transpose`, `LSTM` → `lstm`. */
function snakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
