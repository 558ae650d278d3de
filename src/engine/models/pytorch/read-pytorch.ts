import * as fs from 'node:fs';
import { parameterTotals, type ModelFormat, type ModelKind, type ModelReadResult, type ModelSummary, type TensorInfo } from '../model-summary';
import { PickleError, unpickle, type UnpickleResult } from '../pickle/unpickle';
import { PyCall, PyDict, type PyGlobal, type PyValue } from '../pickle/values';
import { NOT_A_MODEL } from '../model-files';
import { BUFFER_SUFFIXES } from './storage-types';
import { declaredStorages, legacyStorageOffsets, placeLegacyTensors, zipStorageProblem } from './storages';
import { collectTensors } from './tensors';
import { readTorchZip } from './zip-container';

/** torch.save's legacy (non-zip) files start with this number, pickled (torch/serialization.py MAGIC_NUMBER). */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
/** Legacy files keep their pickles first and raw weights after; read no more than this of the start. */
const MAX_PICKLE_REGION = 256 * 1024 * 1024;

const MODEL_KEYS = ['state_dict', 'model_state_dict', 'model', 'net', 'network', 'module', 'weights', 'model_state'];
const OPTIMIZER_KEYS = ['optimizer', 'optimizer_state_dict', 'optimizer_states', 'optim', 'opt', 'optimizer_state'];
const TRAINING_KEYS = ['epoch', 'global_step', 'step', 'iteration', 'best_acc', 'best_loss'];

/**
 * Reads a PyTorch file (`.pt`, `.pth`, `.bin`, `.ckpt`) or a plain pickle without executing it:
 * the zip layout (data.pkl + storages) or the legacy layout (several pickles, then raw storages).
 */
export async function readPyTorch(file: string): Promise<ModelReadResult> {
  let sizeBytes: number;
  let head: Buffer;
  let isZip: boolean;
  try {
    sizeBytes = fs.statSync(file).size;
    head = readHead(file, Math.min(sizeBytes, 4));
    // A zip starts with "PK"; a shorter prefix than the full signature is a zip cut short.
    isZip = head[0] === 0x50 && head[1] === 0x4b;
    // A zip archive is read through its central directory; only pickles are read from the start.
    if (!isZip) head = readHead(file, Math.min(sizeBytes, MAX_PICKLE_REGION));
  } catch (error) {
    return { ok: false, file, error: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, globals: [] };
  }
  if (sizeBytes === 0) return { ok: false, file, error: 'empty file', globals: [] };
  const globals: PyGlobal[] = [];
  try {
    if (isZip) {
      const zip = await readTorchZip(file);
      const result = stage(() => unpickle(zip.pickle), 'data.pkl', 'in');
      globals.push(...result.globals);
      const problem = zipStorageProblem(declaredStorages(result.persistent), zip.storages);
      if (problem) return { ok: false, file, error: problem, globals: globals.map((g) => g.qualified) };
      return { ok: true, summary: summarize(file, sizeBytes, 'pytorch-zip', result.value, result.globals) };
    }
    if (head[0] !== 0x80 && head[0] !== 0x28 && head[0] !== 0x63 && head[0] !== 0x7d && head[0] !== 0x5d) {
      return { ok: false, file, error: `${NOT_A_MODEL}: neither a pickle nor a PyTorch zip archive (first byte 0x${head[0].toString(16).padStart(2, '0')})`, globals: [] };
    }
    const first = collect(unpickle(head), globals);
    if ((typeof first.value === 'bigint' || typeof first.value === 'number') && first.end < head.length && head[first.end] === 0x80 && first.value !== LEGACY_MAGIC) {
      // A number followed by more pickles is a legacy torch.save header whose magic number is damaged.
      throw new Error(`invalid magic number 0x${first.value.toString(16)} (legacy torch.save files start with 0x${LEGACY_MAGIC.toString(16)}): corrupt file`);
    }
    if (first.value !== LEGACY_MAGIC) {
      return { ok: true, summary: summarize(file, sizeBytes, 'pickle', first.value, globals) };
    }
    // Legacy torch.save: magic number, protocol version, system info, the object, its storage keys, then the storages.
    const protocol = collect(stage(() => unpickle(head, first.end), 'protocol-version pickle'), globals);
    const sysInfo = collect(stage(() => unpickle(head, protocol.end), 'system-info pickle'), globals);
    const main = collect(stage(() => unpickle(head, sysInfo.end), 'object pickle'), globals);
    const keys = collect(stage(() => unpickle(head, main.end), 'storage-key list'), globals);
    if (!Array.isArray(keys.value) || !keys.value.every((k): k is string => typeof k === 'string')) {
      throw new Error(`the legacy file's storage-key list (at byte ${main.end}) is not a list of strings`);
    }
    const declared = declaredStorages(main.persistent);
    const offsets = legacyStorageOffsets(file, keys.end, keys.value, declared);
    if (typeof offsets === 'string') throw new Error(offsets);
    // The storages are all there: locate each tensor's bytes, for the weight statistics.
    const tensors = collectTensors(main.value);
    placeLegacyTensors(tensors, declared, offsets);
    return { ok: true, summary: summarize(file, sizeBytes, 'pytorch-legacy', main.value, globals, tensors) };
  } catch (error) {
    const message = error instanceof PickleError || error instanceof Error ? error.message : String(error);
    return { ok: false, file, error: message, globals: globals.map((g) => g.qualified) };
  }
}

/** Names which of a file's pickles failed. */
function stage(read: () => UnpickleResult, name: string, where = "in the legacy file's"): UnpickleResult {
  try {
    return read();
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}, ${where} ${name}`);
  }
}

function collect(result: UnpickleResult, into: PyGlobal[]): UnpickleResult {
  for (const global of result.globals) if (!into.some((g) => g.qualified === global.qualified)) into.push(global);
  return result;
}

function readHead(file: string, length: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const read = fs.readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

function summarize(file: string, sizeBytes: number, format: ModelFormat, value: PyValue, globals: PyGlobal[], tensors = collectTensors(value)): ModelSummary {
  const { kind, modelPrefix, optimizerPrefixes } = classify(value, tensors);
  const under = (t: TensorInfo, prefix: string) => t.name === prefix || t.name.startsWith(`${prefix}.`);
  const modelTensors = modelPrefix === undefined ? tensors : tensors.filter((t) => under(t, modelPrefix));
  const { parameters, dtypes } = parameterTotals(modelTensors.filter((t) => !BUFFER_SUFFIXES.some((s) => t.name.endsWith(`.${s}`) || t.name === s)));
  const optimizerValues = tensors
    .filter((t) => optimizerPrefixes.some((p) => under(t, p)) && t.shape.length > 0)
    .reduce((n, t) => n + t.numel, 0);
  const epoch = value instanceof PyDict ? value.get('epoch') : undefined;
  return {
    format,
    file,
    sizeBytes,
    kind,
    tensors: modelTensors,
    parameters,
    optimizerValues,
    dtypes,
    globals: globals.map((g) => g.qualified),
    ...(typeof epoch === 'number' ? { epoch } : {}),
  };
}

function classify(value: PyValue, tensors: TensorInfo[]): { kind: ModelKind; modelPrefix?: string; optimizerPrefixes: string[] } {
  if (value instanceof PyCall && value.callee !== 'collections.OrderedDict') {
    // A pickled nn.Module carries its parameters; a bare call (a payload) carries none.
    return { kind: tensors.length > 0 ? 'module' : 'other', optimizerPrefixes: [] };
  }
  const keys = value instanceof PyDict ? value.keys() : value instanceof PyCall ? value.items.map(([k]) => String(k)) : [];
  const modelKey = MODEL_KEYS.find((k) => keys.includes(k));
  const optimizerPrefixes = OPTIMIZER_KEYS.filter((k) => keys.includes(k));
  if (modelKey && (optimizerPrefixes.length > 0 || TRAINING_KEYS.some((k) => keys.includes(k)))) {
    return { kind: 'checkpoint', modelPrefix: modelKey, optimizerPrefixes };
  }
  if (tensors.length > 0 && tensors.length === keys.length) return { kind: 'state_dict', optimizerPrefixes: [] };
  return { kind: 'other', optimizerPrefixes: [] };
}
