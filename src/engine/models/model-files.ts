import * as path from 'node:path';

/** Extensions of the pickle-based model files DL Doctor reads (PyTorch and plain pickles). */
export const PICKLE_MODEL_EXTENSIONS = ['.pt', '.pth', '.bin', '.ckpt', '.pkl', '.pickle'];

/** Every model-file extension DL Doctor reads. */
export const MODEL_EXTENSIONS = [...PICKLE_MODEL_EXTENSIONS, '.safetensors', '.gguf', '.onnx', '.h5', '.hdf5', '.keras'];

/** TensorFlow.js models are a `model.json` next to their weight shards. */
export const TFJS_MODEL_FILE = 'model.json';

export function isModelPath(file: string): boolean {
  return MODEL_EXTENSIONS.includes(path.extname(file).toLowerCase()) || path.basename(file).toLowerCase() === TFJS_MODEL_FILE;
}

/** How readers start the error for a file that is simply not a model (as opposed to a broken one). */
export const NOT_A_MODEL = 'not a model file';

/**
 * `.bin` also holds raw arrays and tokenizer data, `.h5` any HDF5 data set, and `model.json` any JSON:
 * such a file that turns out not to be a model is not ours to report.
 */
export function mayBeForeign(file: string): boolean {
  return ['.bin', '.h5', '.hdf5'].includes(path.extname(file).toLowerCase()) || path.basename(file).toLowerCase() === TFJS_MODEL_FILE;
}
