import * as path from 'node:path';

/** Extensions of the pickle-based model files DL Doctor reads (PyTorch and plain pickles). */
export const PICKLE_MODEL_EXTENSIONS = ['.pt', '.pth', '.bin', '.ckpt', '.pkl', '.pickle'];

/** Every model-file extension DL Doctor reads. */
export const MODEL_EXTENSIONS = [...PICKLE_MODEL_EXTENSIONS, '.safetensors', '.gguf', '.onnx'];

export function isModelPath(file: string): boolean {
  return MODEL_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

/** `.bin` is also used for raw arrays and tokenizer data: only pickles and PyTorch zips are ours. */
export function mayBeForeign(file: string): boolean {
  return path.extname(file).toLowerCase() === '.bin';
}
