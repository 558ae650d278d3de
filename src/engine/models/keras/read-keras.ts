import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as yauzl from 'yauzl';
import { corruptZip, nextEntry, openZip } from '../zip-entries';
import { NOT_A_MODEL } from '../model-files';
import { parameterTotals, type ModelReadResult, type TensorInfo } from '../model-summary';
import { unsafeKerasConfig } from './config-safety';
import { readHdf5 } from './hdf5-client';
import { hdf5SuperblockProblem } from './hdf5-superblock';
import type { Hdf5Reply } from './hdf5-protocol';

const MAX_CONFIG_BYTES = 64 * 1024 * 1024;
const MAX_WEIGHTS_BYTES = 4 * 1024 * 1024 * 1024;

/**
 * Keras models: legacy HDF5 (`.h5`: `model_config` / `training_config` attributes, weights under
 * `model_weights`, optimizer state under `optimizer_weights`) and Keras 3 `.keras` (a zip holding
 * config.json, metadata.json and model.weights.h5 with `layers/` and `optimizer/` groups), read with
 * h5wasm. The config is parsed as JSON and checked, never deserialised into layers.
 */
export async function readKeras(file: string): Promise<ModelReadResult> {
  const fail = (error: string): ModelReadResult => ({ ok: false, file, error, globals: [] });
  let sizeBytes: number;
  try {
    sizeBytes = fs.statSync(file).size;
  } catch (error) {
    return fail(`cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    if (path.extname(file).toLowerCase() === '.keras') return await readKerasZip(file, sizeBytes);
    const problem = hdf5SuperblockProblem(file);
    if (problem) return fail(problem);
    const reply = await readHdf5({ file, attributes: ['model_config', 'keras_version'], groups: ['model_weights', 'optimizer_weights'] });
    if (!reply.ok) return fail(hdf5Error(reply));
    const configText = reply.attributes.model_config;
    if (!configText && !reply.keys.includes('model_weights')) return fail(`${NOT_A_MODEL}: an HDF5 file without Keras model_config or model_weights`);
    const config = configText ? parseJson(configText, 'the model_config attribute') : undefined;
    return summarize(file, sizeBytes, reply.datasets.model_weights, reply.datasets.optimizer_weights, config, reply.attributes.keras_version);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}

/** JSON from the file, or an error naming which part of it is broken. */
function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

function hdf5Error(reply: Hdf5Reply & { ok: false }): string {
  return reply.stage === 'open' ? `not a readable HDF5 file: ${reply.error}` : `cannot read the HDF5 structure (truncated or corrupt?): ${reply.error}`;
}

async function readKerasZip(file: string, sizeBytes: number): Promise<ModelReadResult> {
  const entries = await readZipEntries(file, ['config.json', 'metadata.json', 'model.weights.h5']);
  const configBytes = entries.get('config.json');
  if (!configBytes) throw new Error('.keras archive has no config.json');
  const config = parseJson(Buffer.from(configBytes).toString('utf8'), 'config.json');
  const metadata = entries.get('metadata.json');
  const version = metadata ? (parseJson(Buffer.from(metadata).toString('utf8'), 'metadata.json') as { keras_version?: string } | null)?.keras_version : undefined;
  const weightsBytes = entries.get('model.weights.h5');
  if (!weightsBytes) return summarize(file, sizeBytes, [], [], config, version);
  // h5wasm opens files by path: give it the weights in a private temporary file.
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-keras-'));
  const weightsFile = path.join(temp, 'model.weights.h5');
  try {
    fs.writeFileSync(weightsFile, weightsBytes);
    const problem = hdf5SuperblockProblem(weightsFile);
    if (problem) throw new Error(`model.weights.h5: ${problem}`);
    const reply = await readHdf5({ file: weightsFile, attributes: [], groups: ['layers', 'optimizer'] });
    if (!reply.ok) throw new Error(`model.weights.h5: ${hdf5Error(reply)}`);
    return summarize(file, sizeBytes, reply.datasets.layers, reply.datasets.optimizer, config, version);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

function summarize(
  file: string,
  sizeBytes: number,
  weights: { path: string; shape: number[]; dtype: string }[],
  optimizer: { path: string; shape: number[]; dtype: string }[],
  config: unknown,
  kerasVersion: string | undefined,
): ModelReadResult {
  const tensors: TensorInfo[] = weights.map((w) => ({ name: w.path, shape: w.shape, dtype: w.dtype, numel: w.shape.reduce((a, b) => a * b, 1) }));
  const { parameters, dtypes } = parameterTotals(tensors);
  const layers = layerList(config);
  return {
    ok: true,
    summary: {
      format: path.extname(file).toLowerCase() === '.keras' ? 'keras' : 'keras-h5',
      file,
      sizeBytes,
      kind: config ? 'module' : 'state_dict',
      tensors,
      parameters,
      optimizerValues: optimizer.filter((o) => o.shape.length > 0).reduce((n, o) => n + o.shape.reduce((a, b) => a * b, 1), 0),
      dtypes,
      globals: [],
      keras: { version: kerasVersion, modelClass: modelClass(config), layers, unsafeConfig: unsafeKerasConfig(config) },
    },
  };
}

function modelClass(config: unknown): string | undefined {
  return typeof config === 'object' && config !== null && typeof (config as { class_name?: unknown }).class_name === 'string'
    ? (config as { class_name: string }).class_name
    : undefined;
}

/** Layer names and classes from a Sequential or functional model config. */
function layerList(config: unknown): { name: string; className: string }[] {
  const layers = (config as { config?: { layers?: unknown } } | undefined)?.config?.layers;
  if (!Array.isArray(layers)) return [];
  return layers.slice(0, 10_000).map((layer: { class_name?: unknown; config?: { name?: unknown } }) => ({
    name: typeof layer?.config?.name === 'string' ? layer.config.name : '?',
    className: typeof layer?.class_name === 'string' ? layer.class_name : '?',
  }));
}

/** Reads the named top-level entries of a zip (bounded in size). */
export async function readZipEntries(file: string, names: string[]): Promise<Map<string, Uint8Array>> {
  const zip = await openZip(file, { lazyEntries: true, autoClose: true });
  return new Promise((resolve, reject) => {
    const found = new Map<string, Uint8Array>();
    const fail = (message: string) => {
      zip.close();
      reject(new Error(message));
    };
    zip.on('error', (e: Error) => reject(corruptZip(zip, e)));
    zip.on('end', () => resolve(found));
    zip.on('entry', (entry: yauzl.Entry) => {
      const limit = entry.fileName === 'model.weights.h5' ? MAX_WEIGHTS_BYTES : MAX_CONFIG_BYTES;
      if (!names.includes(entry.fileName)) return nextEntry(zip, reject);
      if (entry.uncompressedSize > limit) return fail(`${entry.fileName} is ${entry.uncompressedSize} bytes, above the ${limit}-byte limit`);
      zip.openReadStream(entry, (streamError, stream) => {
        if (streamError || !stream) return fail(`cannot read ${entry.fileName}: ${streamError?.message ?? 'unknown error'}`);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', (e: Error) => fail(`corrupt ${entry.fileName}: ${e.message}`));
        stream.on('end', () => {
          found.set(entry.fileName, new Uint8Array(Buffer.concat(chunks)));
          nextEntry(zip, reject);
        });
      });
    });
    nextEntry(zip, reject);
  });
}
