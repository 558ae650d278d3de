import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Range } from '../finding';
import { isModelPath } from '../models/model-files';
import type { PythonFile } from './python-file';

/** Calls that load a model file from a path given as their first argument. */
const LOADERS = new Set([
  'torch.load',
  'torch.jit.load',
  'safetensors.torch.load_file',
  'safetensors.safe_open',
  'safetensors.numpy.load_file',
]);

export interface ModelReference {
  /** The loading call, where the code lens goes. */
  range: Range;
  /** Absolute path of the workspace model file it loads. */
  file: string;
}

/**
 * `torch.load("checkpoints/best.pt")` and friends whose path argument resolves (as a constant, an
 * argparse default or a literal) to a model file in the workspace: relative paths are tried against
 * the workspace folder (where scripts are usually run from) and the script's own folder.
 */
export function modelReferences(file: PythonFile): ModelReference[] {
  const found: ModelReference[] = [];
  for (const call of file.calls) {
    const name = file.calleeName(call);
    if (!name || !LOADERS.has(name)) continue;
    const [first] = file.positionalArguments(call);
    const value = file.evaluate(first ?? file.keywordArgument(call, 'f') ?? file.keywordArgument(call, 'filename'))?.value;
    if (typeof value !== 'string' || !isModelPath(value)) continue;
    const bases = path.isAbsolute(value) ? [''] : [...file.workspace.roots, path.dirname(file.path)];
    const target = bases.map((base) => path.resolve(base, value)).find((candidate) => fs.existsSync(candidate));
    if (target) found.push({ range: file.range(call), file: target });
  }
  return found;
}
