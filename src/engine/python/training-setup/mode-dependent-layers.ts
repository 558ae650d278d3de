import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import { constructorOf } from './assignments';
import { localClass } from './lightning-modules';

/**
 * Whether a PyTorch model behaves differently in training and evaluation mode: `yes` with the layers
 * that do (Dropout, BatchNorm, …), `no` when every layer it is built from is known and none does,
 * `unknown` when part of it cannot be seen (imported classes, hub models).
 */
export type ModeDependence = { kind: 'yes'; layers: Node[] } | { kind: 'no' } | { kind: 'unknown' };

const MAX_DEPTH = 4;
/** Layers whose forward depends on `module.training`. Source: PyTorch docs of `nn.Module.eval` ("Dropout, BatchNorm, etc."). */
const MODE_LAYER = /^torch\.nn(\.modules(\.\w+)?)?\.(Dropout\w*|AlphaDropout|FeatureAlphaDropout|BatchNorm\w*|SyncBatchNorm|LazyBatchNorm\w*|TransformerEncoderLayer|TransformerDecoderLayer|Transformer)$/;
/** Functional dropout in a forward: `F.dropout(x, p, training=self.training)`. */
const FUNCTIONAL_DROPOUT = /^torch\.nn\.functional\.(dropout\w*|alpha_dropout|feature_alpha_dropout|batch_norm)$/;
/** torchvision's classification models all contain BatchNorm or Dropout (ResNet, VGG, DenseNet, MobileNet, EfficientNet, ViT, AlexNet, …). */
const TORCHVISION_MODEL = /^torchvision\.models\.[a-z]\w*$/;

/** What a model variable (`model`, `self.net`) is built from, and whether that depends on the mode. */
export function modelModeDependence(file: PythonFile, name: string): ModeDependence {
  const built = constructorOf(file, name);
  return built ? callModeDependence(file, built, 0) : { kind: 'unknown' };
}

function callModeDependence(file: PythonFile, call: Node, depth: number): ModeDependence {
  if (depth > MAX_DEPTH) return { kind: 'unknown' };
  const name = file.calleeName(call) ?? '';
  if (MODE_LAYER.test(name)) return { kind: 'yes', layers: [call] };
  if (TORCHVISION_MODEL.test(name)) return { kind: 'yes', layers: [call] };
  if (/^torch\.nn(\.modules(\.container)?)?\.(Sequential|ModuleList|ModuleDict)$/.test(name)) return combine(file, argumentCalls(file, call), depth);
  if (/^torch\.nn\.(modules\.\w+\.)?[A-Z]\w*$/.test(name)) return { kind: 'no' };
  const callee = call.childForFieldName('function');
  const cls = callee?.type === 'identifier' && !file.imports.has(callee.text) ? localClass(file, callee.text) : undefined;
  if (!cls) return { kind: 'unknown' };
  // A class of this file: every module and functional op its body builds or calls.
  const inner = cls.descendantsOfType('call').filter((c): c is Node => c !== null);
  const functional = inner.find((c) => FUNCTIONAL_DROPOUT.test(file.calleeName(c) ?? ''));
  if (functional) return { kind: 'yes', layers: [functional] };
  const built = inner.filter((c) => isModuleConstruction(file, c));
  return combine(file, built, depth);
}

/** Calls in a class body that build submodules: `nn.X(...)`, torchvision models, or classes of this file. */
function isModuleConstruction(file: PythonFile, call: Node): boolean {
  const name = file.calleeName(call) ?? '';
  if (/^torch\.nn\.(modules\.\w+\.)?[A-Z]\w*$/.test(name) || TORCHVISION_MODEL.test(name)) return true;
  const callee = call.childForFieldName('function');
  if (callee?.type === 'identifier' && localClass(file, callee.text)) return true;
  // Something imported that builds a module we cannot see: `timm.create_model(...)`, `AutoModel.from_pretrained(...)`, `resnet_block(...)` from another file.
  return /^[A-Z]|create_model|from_pretrained|build_|make_/.test(file.calleeTail(call) ?? '') && !name.startsWith('torch.');
}

function argumentCalls(file: PythonFile, call: Node): Node[] {
  return file.positionalArguments(call).filter((a) => a.type === 'call');
}

function combine(file: PythonFile, calls: Node[], depth: number): ModeDependence {
  const layers: Node[] = [];
  let unknown = false;
  for (const call of calls.slice(0, 200)) {
    const inner = callModeDependence(file, call, depth + 1);
    if (inner.kind === 'yes') layers.push(...inner.layers);
    else if (inner.kind === 'unknown') unknown = true;
  }
  if (layers.length) return { kind: 'yes', layers };
  return unknown ? { kind: 'unknown' } : { kind: 'no' };
}
