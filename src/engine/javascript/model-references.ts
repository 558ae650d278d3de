import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { existingModelFile, type ModelReference, type PathBases } from '../model-paths';
import type { ScriptFile } from './script-file';

/** TensorFlow.js loaders that take a model.json URL or an IO handler as their first argument. */
const LOADERS = new Set(['tf.loadLayersModel', 'tf.loadGraphModel']);
/** tfjs-node reads `file://` URLs from disk: the rest of the URL is a path, relative to the working directory. */
const FILE_SCHEME = 'file://';

/** Names worth parsing a script for: most JavaScript never mentions them, and is never parsed. */
export const LOADER_NAMES = ['loadLayersModel', 'loadGraphModel'];

/**
 * `tf.loadLayersModel('file://model/model.json')`, `tf.loadGraphModel(tf.io.fileSystem(path.join(__dirname,
 * 'web_model', 'model.json')))` and friends whose path resolves to a TensorFlow.js model in the workspace:
 * relative paths are tried against the workspace folder and the script's own folder, as for Python.
 */
export function scriptModelReferences(script: ScriptFile, roots: readonly string[]): ModelReference[] {
  const bases: PathBases = { roots, scriptDir: path.dirname(script.path) };
  const found: ModelReference[] = [];
  // The loaders' own names, and what they are imported as (`import { loadGraphModel as loadGraph }`).
  const names = new Set([...LOADER_NAMES, ...[...script.bindings].filter(([, name]) => LOADERS.has(name)).map(([local]) => local)]);
  for (const call of script.callsNamed([...names])) {
    if (!LOADERS.has(script.qualifiedName(call.childForFieldName('function')) ?? '')) continue;
    const location = modelLocation(script, script.arguments(call)[0]);
    const file = location === undefined ? undefined : existingModelFile(location, bases);
    if (file) found.push({ range: script.range(call), file });
  }
  return found;
}

/** The path a loader's first argument names: a `file://` URL, or `tf.io.fileSystem(path)`. */
function modelLocation(script: ScriptFile, argument: Node | undefined): string | undefined {
  if (argument?.type === 'call_expression') {
    if (script.qualifiedName(argument.childForFieldName('function')) !== 'tf.io.fileSystem') return undefined;
    return script.stringValue(script.arguments(argument)[0]);
  }
  const url = script.stringValue(argument);
  return url?.startsWith(FILE_SCHEME) ? url.slice(FILE_SCHEME.length) : undefined;
}
