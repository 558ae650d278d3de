import * as path from 'node:path';
import type { ModelReadResult } from './model-summary';
import { readPyTorch } from './pytorch/read-pytorch';
import { readSafetensors } from './safetensors/read-safetensors';

/** One reader per format, chosen by extension; every reader returns a summary or a typed error. */
export async function readModel(file: string): Promise<ModelReadResult> {
  if (path.extname(file).toLowerCase() === '.safetensors') return readSafetensors(file);
  return readPyTorch(file);
}
