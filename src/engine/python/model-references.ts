import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { existingModelFile, pretrainedWeights, type ModelReference, type PathBases } from '../model-paths';
import type { PythonFile } from './python-file';

/** Where a loader takes its path: a positional index and the keyword names it is also passed as. */
interface PathArgument {
  position: number;
  keywords: string[];
}

/** Calls that load one model file, by the dotted name they resolve to. */
const FILE_LOADERS: Record<string, PathArgument> = {
  'torch.load': { position: 0, keywords: ['f'] },
  'torch.jit.load': { position: 0, keywords: ['f'] },
  'safetensors.torch.load_file': { position: 0, keywords: ['filename'] },
  'safetensors.torch.load_model': { position: 1, keywords: ['filename'] },
  'safetensors.safe_open': { position: 0, keywords: ['filename'] },
  'safetensors.numpy.load_file': { position: 0, keywords: ['filename'] },
  'keras.models.load_model': { position: 0, keywords: ['filepath'] },
  'keras.saving.load_model': { position: 0, keywords: ['filepath'] },
  'tensorflow.keras.models.load_model': { position: 0, keywords: ['filepath'] },
  'tensorflow.keras.saving.load_model': { position: 0, keywords: ['filepath'] },
  'tf_keras.models.load_model': { position: 0, keywords: ['filepath'] },
  'onnx.load': { position: 0, keywords: ['f'] },
  'onnx.load_model': { position: 0, keywords: ['f'] },
  'onnxruntime.InferenceSession': { position: 0, keywords: ['path_or_bytes'] },
};

/** Lightning's `MyModule.load_from_checkpoint("last.ckpt")`: the class is the user's own, so the method name decides. */
const CHECKPOINT_METHOD = 'load_from_checkpoint';
const CHECKPOINT_PATH: PathArgument = { position: 0, keywords: ['checkpoint_path'] };

/**
 * `from_pretrained` also loads tokenizers, processors, configs and schedulers from the same folders:
 * those classes hold no weights, and a lens with the model's parameters on them would mislead.
 */
const NOT_MODELS = ['Tokenizer', 'TokenizerFast', 'Processor', 'FeatureExtractor', 'Config', 'Scheduler'];
/** The folder argument's keyword names (transformers, diffusers / PEFT's adapter folder). */
const PRETRAINED_KEYWORDS = ['pretrained_model_name_or_path', 'model_id'];

/**
 * `torch.load("checkpoints/best.pt")`, `keras.models.load_model("m.h5")`, `onnxruntime.InferenceSession(…)`,
 * `AutoModel.from_pretrained("./finetuned")` and friends whose path argument resolves (as a literal, a
 * constant or an argparse default) to a model file or weights folder in the workspace: relative paths
 * are tried against the workspace folder (where scripts are usually run from) and the script's own folder.
 */
export function modelReferences(file: PythonFile): ModelReference[] {
  const bases: PathBases = { roots: file.workspace.roots, scriptDir: path.dirname(file.path) };
  const found: ModelReference[] = [];
  for (const call of file.calls) {
    const target = file.calleeTail(call) === 'from_pretrained' ? pretrained(file, call, bases) : singleFile(file, call, bases);
    if (target) found.push({ range: file.range(call), ...target });
  }
  return found;
}

function singleFile(file: PythonFile, call: Node, bases: PathBases): Pick<ModelReference, 'file'> | undefined {
  const loader = file.calleeTail(call) === CHECKPOINT_METHOD ? CHECKPOINT_PATH : FILE_LOADERS[file.calleeName(call) ?? ''];
  const value = loader && stringValue(file, file.positionalArguments(call)[loader.position] ?? loader.keywords.map((k) => file.keywordArgument(call, k)).find(Boolean));
  const target = value === undefined ? undefined : existingModelFile(value, bases);
  return target ? { file: target } : undefined;
}

function pretrained(file: PythonFile, call: Node, bases: PathBases): Pick<ModelReference, 'file' | 'shards'> | undefined {
  const owner = call.childForFieldName('function')?.childForFieldName('object');
  const className = owner?.type === 'attribute' ? owner.childForFieldName('attribute')?.text : owner?.text;
  if (!className || NOT_MODELS.some((suffix) => className.endsWith(suffix))) return undefined;
  // PEFT passes the base model first and the adapter folder second: take the first string argument.
  const value =
    PRETRAINED_KEYWORDS.map((k) => stringValue(file, file.keywordArgument(call, k))).find((v) => v !== undefined) ??
    file.positionalArguments(call).map((a) => stringValue(file, a)).find((v) => v !== undefined);
  if (value === undefined) return undefined;
  // diffusers keeps each component in a subfolder: `UNet2DConditionModel.from_pretrained("./sd", subfolder="unet")`.
  const subfolder = stringValue(file, file.keywordArgument(call, 'subfolder'));
  return pretrainedWeights(subfolder ? path.join(value, subfolder) : value, bases);
}

function stringValue(file: PythonFile, node: Node | undefined): string | undefined {
  const value = file.evaluate(node)?.value;
  return typeof value === 'string' ? value : undefined;
}
