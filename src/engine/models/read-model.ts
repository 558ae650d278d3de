import * as path from 'node:path';
import { readGguf } from './gguf/read-gguf';
import type { ModelReadResult } from './model-summary';
import { readKeras } from './keras/read-keras';
import { readOnnx } from './onnx/read-onnx';
import { readTfjs } from './tfjs/read-tfjs';
import { readPyTorch } from './pytorch/read-pytorch';
import { readSafetensors } from './safetensors/read-safetensors';

/** One reader per format, chosen by extension; every reader returns a summary or a typed error. */
export async function readModel(file: string): Promise<ModelReadResult> {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.safetensors') return readSafetensors(file);
  if (extension === '.gguf') return readGguf(file);
  if (extension === '.onnx') return readOnnx(file);
  if (extension === '.h5' || extension === '.hdf5' || extension === '.keras') return readKeras(file);
  if (path.basename(file).toLowerCase() === 'model.json') return readTfjs(file);
  return readPyTorch(file);
}
