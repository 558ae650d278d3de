import * as fs from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { modelFieldsProblem } from './model-fields';
import { parameterTotals, type ModelReadResult, type TensorInfo } from '../model-summary';

/**
 * ONNX: a protobuf ModelProto, decoded with protobufjs through `onnx-proto` (generated from ONNX
 * v1.10.2's onnx.proto; newer files decode too, unknown fields are skipped). Initializers give the
 * parameters; external data is resolved only inside the model's own folder — a location that
 * escapes it (absolute, `..`, or a symlink leading out) is reported and never read.
 */
const MAX_ONNX_BYTES = 1024 * 1024 * 1024;

/** TensorProto.DataType codes and the names the rest of DL Doctor uses. */
const DATA_TYPES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
};

export interface ExternalDataEscape {
  tensor: string;
  location: string;
  reason: string;
}

export async function readOnnx(file: string): Promise<ModelReadResult & { escapes?: ExternalDataEscape[] }> {
  const fail = (error: string) => ({ ok: false as const, file, error, globals: [] });
  let bytes: Buffer;
  let sizeBytes: number;
  try {
    sizeBytes = fs.statSync(file).size;
    if (sizeBytes > MAX_ONNX_BYTES) return fail(`${sizeBytes} bytes: above the ${MAX_ONNX_BYTES}-byte limit for ONNX files read in one piece`);
    bytes = await fs.promises.readFile(file);
  } catch (error) {
    return fail(`cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const layout = modelFieldsProblem(bytes);
  if (layout) return fail(layout);
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    return fail(protobufError(error instanceof Error ? error.message : String(error)));
  }
  if (!model.graph) return fail(`no graph in the ONNX model's ${sizeBytes} bytes: truncated, or not an ONNX model`);
  const folder = path.dirname(path.resolve(file));
  const escapes: ExternalDataEscape[] = [];
  const tensors: TensorInfo[] = [];
  for (const init of model.graph.initializer ?? []) {
    const name = init.name ?? '';
    const shape = (init.dims ?? []).map((d) => Number(d));
    const dtype = DATA_TYPES[init.dataType ?? 0] ?? `onnx type ${init.dataType}`;
    const numel = shape.reduce((a, b) => a * b, 1);
    if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) return fail(`initializer '${name}' has an invalid shape [${shape.join(',')}]`);
    if (init.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) {
      const problem = sizeMismatch(init, name, dtype, shape, numel);
      if (problem) return fail(problem);
    }
    tensors.push({ name, shape, dtype, numel });
    if (init.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
      const location = init.externalData?.find((e) => e.key === 'location')?.value ?? '';
      const reason = escapeReason(folder, location);
      if (reason) escapes.push({ tensor: name, location, reason });
    }
  }
  const { parameters, dtypes } = parameterTotals(tensors);
  return {
    ok: true,
    summary: {
      format: 'onnx',
      file,
      sizeBytes,
      kind: 'state_dict',
      tensors,
      parameters,
      optimizerValues: 0,
      dtypes,
      globals: [],
      onnx: {
        opset: model.opsetImport?.find((o) => !o.domain || o.domain === 'ai.onnx')?.version?.toString(),
        ops: countOps(model.graph),
        inputs: (model.graph.input ?? []).map((i) => i.name ?? '').filter((n) => !tensors.some((t) => t.name === n)),
        outputs: (model.graph.output ?? []).map((o) => o.name ?? ''),
        externalDataEscapes: escapes,
      },
    },
  };
}

/** protobufjs's reader errors, in terms of the file ("index out of range: 666 + 5760 > 1000"). */
function protobufError(message: string): string {
  const range = /^index out of range: (\d+) \+ (\d+) > (\d+)$/.exec(message);
  if (range) {
    const [, at, length, end] = range.map(Number);
    return `truncated or corrupt ONNX protobuf: a field at byte ${n(at)} needs ${n(length)} byte${length === 1 ? '' : 's'}, the file ends at byte ${n(end)}`;
  }
  const wire = /^invalid wire type (\d+) at offset (\d+)$/.exec(message);
  if (wire) return `corrupt ONNX protobuf: invalid wire type ${wire[1]} at byte ${n(Number(wire[2]))}`;
  return `not a valid ONNX protobuf: ${message}`;
}

const n = (value: number) => value.toLocaleString('en-US');

/** Bytes per element of the fixed-size ONNX types (strings have none). */
const ELEMENT_BYTES: Record<string, number> = {
  float32: 4, uint8: 1, int8: 1, uint16: 2, int16: 2, int32: 4, int64: 8, bool: 1, float16: 2, float64: 8, uint32: 4, uint64: 8, complex64: 8, complex128: 16, bfloat16: 2,
};

/** An initializer whose stored data does not match its declared shape (onnx.checker refuses it too). */
function sizeMismatch(init: onnx.ITensorProto, name: string, dtype: string, shape: number[], numel: number): string | undefined {
  const declared = `${dtype}[${shape.join(',')}]`;
  const elementBytes = ELEMENT_BYTES[dtype];
  if (init.rawData && init.rawData.length > 0) {
    if (elementBytes && init.rawData.length !== numel * elementBytes) {
      return `initializer '${name}' declares ${declared} (${n(numel * elementBytes)} bytes) but holds ${n(init.rawData.length)} bytes of raw data`;
    }
    return undefined;
  }
  const stored = [init.floatData, init.int32Data, init.int64Data, init.doubleData, init.uint64Data, init.stringData].find((a) => a && a.length > 0)?.length ?? 0;
  const perElement = dtype.startsWith('complex') ? 2 : 1;
  if (stored > 0 && stored !== numel * perElement) return `initializer '${name}' declares ${declared} (${n(numel)} values) but holds ${n(stored / perElement)}`;
  return undefined;
}

function countOps(graph: onnx.IGraphProto): Record<string, number> {
  const ops: Record<string, number> = {};
  for (const node of graph.node ?? []) ops[node.opType ?? '?'] = (ops[node.opType ?? '?'] ?? 0) + 1;
  return ops;
}

/** Why an external-data location leaves the model's folder, or undefined when it stays inside. */
function escapeReason(folder: string, location: string): string | undefined {
  if (!location) return 'no location given';
  if (path.isAbsolute(location) || /^[a-zA-Z]:[\\/]/.test(location)) return 'absolute path';
  const target = path.resolve(folder, location);
  if (!isInside(folder, target)) return 'leaves the model folder';
  try {
    const real = fs.realpathSync(target);
    if (!isInside(fs.realpathSync(folder), real)) return 'symbolic link leading out of the model folder';
  } catch {
    // A missing file is not an escape; reading it would simply fail.
  }
  return undefined;
}

function isInside(folder: string, target: string): boolean {
  const rel = path.relative(folder, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
