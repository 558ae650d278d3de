import * as fs from 'node:fs';
import { parameterTotals, type ModelReadResult, type TensorInfo } from '../model-summary';

/**
 * safetensors: an 8-byte little-endian header length, a JSON header (`__metadata__` plus one entry per
 * tensor with dtype, shape and data offsets), then the raw tensor bytes. Only the header is read.
 * Format: huggingface/safetensors README, "Format" (the reference implementation requires the tensors
 * to be contiguous, non-overlapping and to cover the whole data section, as checked here).
 */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/** Element sizes in bytes per safetensors dtype code. */
const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E4M3: 1, F8_E5M2: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
};
/** The same dtypes in the names the rest of DL Doctor uses (PyTorch's). */
const DTYPE_NAMES: Record<string, string> = {
  BOOL: 'bool', U8: 'uint8', I8: 'int8', F8_E4M3: 'float8_e4m3fn', F8_E5M2: 'float8_e5m2', I16: 'int16', U16: 'uint16',
  F16: 'float16', BF16: 'bfloat16', I32: 'int32', U32: 'uint32', F32: 'float32', F64: 'float64', I64: 'int64', U64: 'uint64',
};

export function readSafetensors(file: string): ModelReadResult {
  const fail = (error: string): ModelReadResult => ({ ok: false, file, error, globals: [] });
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    return fail(`cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const sizeBytes = fs.fstatSync(fd).size;
    if (sizeBytes < 8) return fail(`truncated: ${sizeBytes} bytes, the 8-byte header length alone needs 8`);
    const lengthBytes = Buffer.alloc(8);
    fs.readSync(fd, lengthBytes, 0, 8, 0);
    const declared = lengthBytes.readBigUInt64LE(0);
    if (declared > BigInt(MAX_HEADER_BYTES)) return fail(`header declares ${declared} bytes, above the ${MAX_HEADER_BYTES}-byte limit`);
    const headerLength = Number(declared);
    if (8 + headerLength > sizeBytes) return fail(`truncated header: declares ${headerLength} bytes, file has ${sizeBytes - 8} after the length`);
    const headerBytes = Buffer.alloc(headerLength);
    fs.readSync(fd, headerBytes, 0, headerLength, 8);
    let header: unknown;
    try {
      header = JSON.parse(headerBytes.toString('utf8'));
    } catch (error) {
      return fail(`header is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header)) return fail('header is not a JSON object');
    const dataBytes = sizeBytes - 8 - headerLength;
    const tensors: (TensorInfo & { begin: number; end: number })[] = [];
    for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
      if (name === '__metadata__') continue;
      const problem = validate(name, entry);
      if (typeof problem === 'string') return fail(problem);
      tensors.push(problem);
    }
    tensors.sort((a, b) => a.begin - b.begin);
    let expected = 0;
    for (const t of tensors) {
      if (t.begin !== expected) {
        return fail(t.begin < expected ? `tensor '${t.name}' overlaps the tensor before it (starts at ${t.begin}, previous ends at ${expected})` : `gap in the data before tensor '${t.name}' (bytes ${expected}..${t.begin} belong to no tensor)`);
      }
      expected = t.end;
    }
    if (expected !== dataBytes) {
      return fail(expected > dataBytes ? `truncated data: tensors need ${expected} bytes, file has ${dataBytes}` : `${dataBytes - expected} bytes after the last tensor belong to no tensor`);
    }
    const { parameters, dtypes } = parameterTotals(tensors);
    return {
      ok: true,
      summary: {
        format: 'safetensors',
        file,
        sizeBytes,
        kind: 'state_dict',
        tensors: tensors.map(({ name, shape, dtype, numel, begin }) => ({ name, shape, dtype, numel, location: { byteOffset: 8 + headerLength + begin } })),
        parameters,
        optimizerValues: 0,
        dtypes,
        globals: [],
      },
    };
  } finally {
    fs.closeSync(fd);
  }
}

function validate(name: string, entry: unknown): (TensorInfo & { begin: number; end: number }) | string {
  if (typeof entry !== 'object' || entry === null) return `tensor '${name}' is not an object`;
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) return `tensor '${name}' has unknown dtype ${JSON.stringify(dtype)}`;
  if (Array.isArray(shape) && shape.length > 64) return `tensor '${name}' has ${shape.length} dimensions, more than 64`;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    return `tensor '${name}' has an invalid shape ${JSON.stringify(shape)?.slice(0, 80)}`;
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[1] < offsets[0]) {
    return `tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)?.slice(0, 80)}`;
  }
  const numel = (shape as number[]).reduce((a, b) => a * b, 1);
  const [begin, end] = offsets as number[];
  if (end - begin !== numel * DTYPE_BYTES[dtype]) {
    return `tensor '${name}' holds ${end - begin} bytes but ${dtype}${JSON.stringify(shape)} needs ${numel * DTYPE_BYTES[dtype]}`;
  }
  return { name, shape: shape as number[], dtype: DTYPE_NAMES[dtype], numel, begin, end };
}
