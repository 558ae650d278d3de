import * as fs from 'node:fs';
import * as path from 'node:path';
import { NOT_A_MODEL } from '../model-files';
import { parameterTotals, type ModelReadResult, type TensorInfo } from '../model-summary';
import { placeholderProblem, readHead } from '../sniff';

const MAX_JSON_BYTES = 64 * 1024 * 1024;
/** Bytes per element of TF.js weight dtypes, and of the quantised storage types. */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1, uint16: 2, complex64: 8, string: 0 };

interface WeightSpec {
  name?: unknown;
  shape?: unknown;
  dtype?: unknown;
  quantization?: { dtype?: unknown };
}

/**
 * TensorFlow.js `model.json` (Layers or Graph model): the weights manifest lists each weight's name,
 * shape and dtype and the shard files that hold them. The shards must exist inside the model's folder
 * and hold exactly the bytes the manifest needs; the weights themselves are not read.
 */
export function readTfjs(file: string): ModelReadResult {
  const fail = (error: string): ModelReadResult => ({ ok: false, file, error, globals: [] });
  let json: { format?: unknown; modelTopology?: unknown; weightsManifest?: unknown };
  let sizeBytes: number;
  let text = '';
  try {
    sizeBytes = fs.statSync(file).size;
    if (sizeBytes > MAX_JSON_BYTES) return fail(`${sizeBytes} bytes of JSON, above the ${MAX_JSON_BYTES}-byte limit`);
    text = fs.readFileSync(file, 'utf8');
    json = JSON.parse(text) as typeof json;
  } catch (error) {
    if (!(error instanceof SyntaxError)) return fail(`cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    // Broken JSON that names TensorFlow.js's keys is a model cut short, not some other model.json.
    if (/"(weightsManifest|modelTopology)"/.test(text)) return fail(`truncated or corrupt TensorFlow.js model.json: ${error.message}`);
    return fail(`${NOT_A_MODEL}: not valid JSON (${error.message})`);
  }
  if (typeof json !== 'object' || json === null || !Array.isArray(json.weightsManifest)) {
    return fail(`${NOT_A_MODEL}: no TensorFlow.js weightsManifest`);
  }
  const folder = path.dirname(path.resolve(file));
  const tensors: TensorInfo[] = [];
  let manifestBytes = 0;
  let shardBytes = 0;
  for (const group of json.weightsManifest as { paths?: unknown; weights?: unknown }[]) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group.weights)) return fail('weightsManifest group without paths or weights');
    for (const shard of group.paths) {
      if (typeof shard !== 'string') return fail('weight shard path is not a string');
      const target = path.resolve(folder, shard);
      const rel = path.relative(folder, target);
      if (path.isAbsolute(shard) || rel.startsWith('..') || path.isAbsolute(rel)) return fail(`weight shard "${shard}" leaves the model folder`);
      try {
        const { head, sizeBytes: size } = readHead(target);
        const placeholder = placeholderProblem(head, size);
        if (placeholder) return fail(`weight shard ${shard} is ${placeholder === 'empty file' ? 'empty' : placeholder.replace(/^looks like /, '')}`);
        shardBytes += size;
      } catch {
        return fail(`missing weight shard ${shard} (next to model.json)`);
      }
    }
    for (const spec of group.weights as WeightSpec[]) {
      if (typeof spec?.name !== 'string') return fail(`a weight has no name (${JSON.stringify(spec)?.slice(0, 80)})`);
      const shape = Array.isArray(spec.shape) && spec.shape.length <= 64 && spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0) ? (spec.shape as number[]) : undefined;
      if (!shape) return fail(`weight '${spec.name}' has an invalid shape ${JSON.stringify(spec.shape)?.slice(0, 80)}`);
      if (typeof spec.dtype !== 'string') return fail(`weight '${spec.name}' has no dtype`);
      const numel = shape.reduce((a, b) => a * b, 1);
      const stored = typeof spec.quantization?.dtype === 'string' ? spec.quantization.dtype : spec.dtype;
      if (!(stored in DTYPE_BYTES)) return fail(`weight '${spec.name}' has unknown dtype ${JSON.stringify(stored)}`);
      manifestBytes += numel * DTYPE_BYTES[stored];
      tensors.push({ name: spec.name, shape, dtype: spec.dtype, numel });
    }
  }
  if (shardBytes !== manifestBytes) {
    return fail(`weight shards hold ${shardBytes.toLocaleString('en-US')} bytes but the manifest needs ${manifestBytes.toLocaleString('en-US')}: a shard is truncated, missing or from another model`);
  }
  const { parameters, dtypes } = parameterTotals(tensors);
  return {
    ok: true,
    summary: {
      format: 'tfjs',
      file,
      sizeBytes: sizeBytes + shardBytes,
      kind: json.modelTopology ? 'module' : 'state_dict',
      tensors,
      parameters,
      optimizerValues: 0,
      dtypes,
      globals: [],
    },
  };
}
