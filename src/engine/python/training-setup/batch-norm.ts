import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import type { Resolved } from '../values';
import { resolveValue } from './config-values';

const TORCH_BATCH_NORM = /^torch\.nn\.(?:modules\.batchnorm\.)?(BatchNorm[123]d|SyncBatchNorm|LazyBatchNorm[123]d)$/;
const KERAS_BATCH_NORM = /^(?:tensorflow\.(?:python\.)?|tf_keras\.)?keras\.layers\.(?:experimental\.)?(?:BatchNormalization|SyncBatchNormalization)$|^tf_keras\.layers\.BatchNormalization$/;
const DATA_LOADER = /^torch\.utils\.data(?:\.dataloader)?\.DataLoader$/;

/** The first BatchNorm layer the file builds, by framework. */
export function batchNormLayers(file: PythonFile): { torch?: Node; keras?: Node } {
  const found: { torch?: Node; keras?: Node } = {};
  for (const call of file.calls) {
    const name = file.calleeName(call) ?? '';
    if (!found.torch && TORCH_BATCH_NORM.test(name)) found.torch = call;
    if (!found.keras && KERAS_BATCH_NORM.test(name)) found.keras = call;
  }
  return found;
}

/**
 * Whether the file handles BatchNorm layers itself — `isinstance(m, nn.BatchNorm2d)` (typically to
 * freeze them in eval mode) or FrozenBatchNorm2d — so batch-size advice about them would be wrong.
 */
export function handlesBatchNorm(file: PythonFile): boolean {
  return file.calls.some((call) => {
    const fn = call.childForFieldName('function');
    if (fn?.type === 'identifier' && fn.text === 'isinstance') return /BatchNorm/.test(call.childForFieldName('arguments')?.text ?? '');
    return /FrozenBatchNorm/.test(file.calleeTail(call) ?? '');
  });
}

/** A batch size of 1 the file trains with: the call that states it and the value. */
export interface UnitBatch {
  call: Node;
  node: Node;
  size: Resolved;
  /** What makes it a training batch (the loop, the `fit`, Lightning's `train_dataloader`). */
  trainedBy: Node;
}

/** PyTorch DataLoaders with batch_size 1 that feed a loop calling `.backward()` (directly or via a `train…` function of this file), or Lightning's `train_dataloader`. */
export function torchUnitBatches(file: PythonFile): UnitBatch[] {
  const found: UnitBatch[] = [];
  for (const call of file.calls) {
    if (!DATA_LOADER.test(file.calleeName(call) ?? '') || file.hasSplat(call) || file.keywordArgument(call, 'batch_sampler')) continue;
    const node = file.keywordArgument(call, 'batch_size') ?? file.positionalArguments(call)[1];
    const size = resolveValue(file, node);
    if (!node || size?.value !== 1) continue;
    const trainedBy = trainingUse(file, call);
    if (trainedBy) found.push({ call, node, size, trainedBy });
  }
  return found;
}

/** Keras `fit(batch_size=1)`: fit always trains. */
export function kerasUnitBatches(file: PythonFile): UnitBatch[] {
  const found: UnitBatch[] = [];
  for (const call of file.calls) {
    if (file.calleeTail(call) !== 'fit' || call.childForFieldName('function')?.type !== 'attribute') continue;
    const node = file.keywordArgument(call, 'batch_size');
    const size = resolveValue(file, node);
    if (node && size?.value === 1) found.push({ call, node, size, trainedBy: call });
  }
  return found;
}

function trainingUse(file: PythonFile, loader: Node): Node | undefined {
  for (let p = loader.parent; p; p = p.parent) {
    if (p.type === 'function_definition') {
      if (p.childForFieldName('name')?.text === 'train_dataloader') return p;
      break;
    }
  }
  const assignment = loader.parent?.type === 'assignment' ? loader.parent : undefined;
  const target = assignment?.childForFieldName('left');
  if (target?.type !== 'identifier') return undefined;
  for (const id of file.identifiersNamed(target.text)) {
    if (id.equals(target)) continue;
    // `for x, y in loader:` / `enumerate(loader)` / `tqdm(loader)`
    const loop = enclosingLoopOver(id);
    if (loop && callsBackward(file, loop.childForFieldName('body'))) return loop;
    // `train(model, loader, …)`, `train_one_epoch(…, loader)` defined in this file
    const call = id.parent?.type === 'argument_list' ? id.parent.parent : undefined;
    const fn = call?.type === 'call' ? file.localCallee(call) : undefined;
    if (fn && /train/i.test(fn.childForFieldName('name')?.text ?? '') && callsBackward(file, fn)) return call!;
  }
  return undefined;
}

function enclosingLoopOver(id: Node): Node | undefined {
  let node: Node = id;
  for (let depth = 0; depth < 3 && node.parent; depth++) {
    const parent: Node = node.parent;
    if (parent.type === 'for_statement') return parent.childForFieldName('right')?.equals(node) ? parent : undefined;
    if (parent.type !== 'argument_list' && parent.type !== 'call') return undefined;
    node = parent;
  }
  return undefined;
}

function callsBackward(file: PythonFile, node: Node | null | undefined): boolean {
  return !!node?.descendantsOfType('call').some((c) => c !== null && file.calleeTail(c) === 'backward');
}
