import * as fs from 'node:fs';
import { GGMLQuantizationType, gguf } from '@huggingface/gguf';
import type { ModelReadResult, TensorInfo } from '../model-summary';
import { ggufLayoutProblem } from './gguf-layout';

/**
 * Bytes per block and values per block of each ggml type (ggml's type_traits table in ggml.c):
 * used to check that every tensor's data lies inside the file.
 */
const BLOCKS: Partial<Record<string, [bytes: number, values: number]>> = {
  F32: [4, 1], F16: [2, 1], BF16: [2, 1], F64: [8, 1], I8: [1, 1], I16: [2, 1], I32: [4, 1], I64: [8, 1],
  Q4_0: [18, 32], Q4_1: [20, 32], Q5_0: [22, 32], Q5_1: [24, 32], Q8_0: [34, 32], Q8_1: [36, 32],
  Q2_K: [84, 256], Q3_K: [110, 256], Q4_K: [144, 256], Q5_K: [176, 256], Q6_K: [210, 256], Q8_K: [292, 256],
};

/** Plain float types under the names the rest of DL Doctor uses; quantised types keep ggml's names (Q4_K, Q8_0). */
const FLOAT_NAMES: Partial<Record<string, string>> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16', F64: 'float64' };

/**
 * GGUF (llama.cpp's format): header, typed metadata and tensor infos, read with Hugging Face's
 * @huggingface/gguf parser, which bounds tensor and metadata counts. Weights are not read.
 */
export async function readGguf(file: string): Promise<ModelReadResult> {
  let sizeBytes: number;
  try {
    sizeBytes = fs.statSync(file).size;
  } catch (error) {
    return { ok: false, file, error: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, globals: [] };
  }
  try {
    const problem = ggufLayoutProblem(file);
    if (problem) return { ok: false, file, error: problem, globals: [] };
    const parsed = await gguf(file, { allowLocalFile: true, computeParametersCount: true });
    // The header fits (checked above); the tensor data after it must too.
    const dataStart = Number(parsed.tensorDataOffset);
    const n = (value: number) => value.toLocaleString('en-US');
    for (const t of parsed.tensorInfos) {
      const type = GGMLQuantizationType[t.dtype];
      const block = BLOCKS[type ?? ''];
      if (!block) {
        if (type === undefined) return { ok: false, file, error: `tensor '${t.name}' has unknown ggml type ${t.dtype}`, globals: [] };
        continue;
      }
      const values = t.shape.reduce((a, b) => a * Number(b), 1);
      const start = dataStart + Number(t.offset);
      const end = start + Math.ceil(values / block[1]) * block[0];
      if (end > sizeBytes) {
        return { ok: false, file, error: `truncated tensor data: tensor '${t.name}' needs bytes ${n(start)}..${n(end)}, the file ends at byte ${n(sizeBytes)}`, globals: [] };
      }
    }
    const tensors: TensorInfo[] = parsed.tensorInfos.map((t) => {
      const shape = t.shape.map(Number);
      const type = GGMLQuantizationType[t.dtype] ?? `ggml type ${t.dtype}`;
      return { name: t.name, shape, dtype: FLOAT_NAMES[type] ?? type, numel: shape.reduce((a, b) => a * b, 1) };
    });
    // Quantised blocks (Q4_K, Q8_0) are weights too: every GGUF tensor counts, as llama.cpp counts them.
    const dtypes: Record<string, number> = {};
    for (const t of tensors) dtypes[t.dtype] = (dtypes[t.dtype] ?? 0) + t.numel;
    return {
      ok: true,
      summary: { format: 'gguf', file, sizeBytes, kind: 'state_dict', tensors, parameters: parsed.parameterCount, optimizerValues: 0, dtypes, globals: [] },
    };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/^not a valid gguf file: /i, '');
    return { ok: false, file, error: `not a valid GGUF file: ${message}`, globals: [] };
  }
}
