import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Range } from './finding';
import { isModelPath } from './models/model-files';

/** A line of a script that loads a workspace model file: where the code lens goes and what it opens. */
export interface ModelReference {
  /** The loading call. */
  range: Range;
  /** Absolute path of the model file it loads (the first shard of a sharded checkpoint). */
  file: string;
  /** Every shard, in order, when the weights are split over several files (`model-00001-of-00003…`). */
  shards?: string[];
}

/** Where a script's relative paths may point: scripts usually run from the workspace folder, sometimes from their own. */
export interface PathBases {
  roots: readonly string[];
  scriptDir: string;
}

/** Weight files a Hugging Face-style folder may hold, in the order the libraries prefer them. */
const PRETRAINED_WEIGHTS = [
  'model.safetensors',
  'pytorch_model.bin',
  'tf_model.h5',
  // PEFT adapters and diffusers components keep their weights under their own names.
  'adapter_model.safetensors',
  'adapter_model.bin',
  'diffusion_pytorch_model.safetensors',
  'diffusion_pytorch_model.bin',
  // Optimum's ONNX Runtime classes.
  'model.onnx',
];
/** A sharded checkpoint's index (`model.safetensors.index.json`) is a small JSON map; bound what is read. */
const MAX_INDEX_BYTES = 32 * 1024 * 1024;

/** The existing paths a script's path string may mean, absolute paths as they are. */
function candidates(value: string, bases: PathBases): string[] {
  if (path.isAbsolute(value)) return [value];
  return [...bases.roots, bases.scriptDir].map((base) => path.resolve(base, value));
}

/** The model file a path string names, when it has a model file's name and exists. */
export function existingModelFile(value: string, bases: PathBases): string | undefined {
  if (!isModelPath(value)) return undefined;
  return candidates(value, bases).find((candidate) => isFile(candidate));
}

/**
 * The weights in a local folder given to `from_pretrained` — a hub id such as "bert-base-uncased" only
 * counts when a folder of that name exists (that is what the libraries load then too). A single weights
 * file is referenced as it is; a sharded checkpoint by its first shard, with every shard listed so the
 * lens can count the whole model.
 */
export function pretrainedWeights(value: string, bases: PathBases): Pick<ModelReference, 'file' | 'shards'> | undefined {
  if (value === '') return undefined;
  for (const folder of candidates(value, bases)) {
    if (!isDirectory(folder)) continue;
    for (const name of PRETRAINED_WEIGHTS) {
      const single = path.join(folder, name);
      if (isFile(single)) return { file: single };
      const shards = indexShards(folder, `${name}.index.json`);
      if (shards) return { file: shards[0], shards };
    }
  }
  return undefined;
}

/** The shard files a `*.index.json` maps tensors to, sorted; undefined unless all exist inside the folder. */
function indexShards(folder: string, indexName: string): string[] | undefined {
  const index = path.join(folder, indexName);
  let map: unknown;
  try {
    if (!isFile(index) || fs.statSync(index).size > MAX_INDEX_BYTES) return undefined;
    map = (JSON.parse(fs.readFileSync(index, 'utf8')) as { weight_map?: unknown }).weight_map;
  } catch {
    return undefined; // not JSON: not an index we can follow
  }
  if (typeof map !== 'object' || map === null) return undefined;
  const names = [...new Set(Object.values(map))];
  if (names.length === 0 || !names.every((n): n is string => typeof n === 'string' && n !== '' && path.basename(n) === n)) return undefined;
  const shards = names.sort().map((n) => path.join(folder, n));
  return shards.every((s) => isModelPath(s) && isFile(s)) ? shards : undefined;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isDirectory(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory();
  } catch {
    return false;
  }
}
