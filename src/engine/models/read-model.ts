import * as path from 'node:path';
import { readGguf } from './gguf/read-gguf';
import { mayBeForeign, NOT_A_MODEL } from './model-files';
import type { ModelReadResult } from './model-summary';
import { readKeras } from './keras/read-keras';
import { readOnnx } from './onnx/read-onnx';
import { readTfjs } from './tfjs/read-tfjs';
import { readPyTorch } from './pytorch/read-pytorch';
import { readSafetensors } from './safetensors/read-safetensors';
import { placeholderProblem, readHead, signatureOf, wrongFormat, type Signature } from './sniff';

interface Reader {
  read(file: string): ModelReadResult | Promise<ModelReadResult>;
  /** What a file of this format starts like (none: ONNX protobufs have no magic number). */
  signatures: Signature[];
  /** The format in words, for "this is X, not <name>". */
  name: string;
}

/** One reader per format, chosen by the file's extension (or name, for TensorFlow.js). */
function readerFor(file: string): Reader {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.safetensors') return { read: readSafetensors, signatures: ['safetensors'], name: 'a safetensors file' };
  if (extension === '.gguf') return { read: readGguf, signatures: ['gguf'], name: 'a GGUF file' };
  if (extension === '.onnx') return { read: readOnnx, signatures: [], name: 'an ONNX model' };
  if (extension === '.keras') return { read: readKeras, signatures: ['zip'], name: 'a Keras 3 .keras archive' };
  if (extension === '.h5' || extension === '.hdf5') return { read: readKeras, signatures: ['hdf5'], name: 'a Keras HDF5 model' };
  if (path.basename(file).toLowerCase() === 'model.json') return { read: readTfjs, signatures: ['json'], name: 'a TensorFlow.js model.json' };
  return { read: readPyTorch, signatures: ['zip', 'pickle'], name: 'a PyTorch checkpoint or pickle' };
}

/**
 * Reads a model file with its format's reader; every reader returns a summary or a typed error.
 * Files that only stand where a model should be (empty, a Git LFS pointer, an HTML page) are told
 * apart first, the same way for every format, and a failure on a file that is plainly another format
 * says which.
 */
export async function readModel(file: string): Promise<ModelReadResult> {
  const reader = readerFor(file);
  let head: Buffer | undefined;
  try {
    const start = readHead(file);
    head = start.head;
    const placeholder = placeholderProblem(start.head, start.sizeBytes);
    if (placeholder) return { ok: false, file, error: placeholder, globals: [] };
  } catch {
    // Unreadable (missing, a folder, no permission): the reader says so in its own words.
  }
  const result = await reader.read(file);
  if (result.ok || !head) return result;
  const found = signatureOf(head);
  if (!found || reader.signatures.includes(found) || result.globals.length > 0) return result;
  if (mayBeForeign(file) && result.error.startsWith(NOT_A_MODEL)) return result;
  return { ...result, error: wrongFormat(found, reader.name) };
}
