import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import { bindingOf, resolveValue } from './config-values';

/** Callbacks and schedulers that react to the validation metric (Keras, Lightning, transformers, PyTorch, user classes of that name). */
const STOPPERS = new Set(['EarlyStopping', 'EarlyStoppingCallback', 'ReduceLROnPlateau', 'ReduceLROnPlateauCallback']);
/** Names scripts give the state of a hand-written early stop or best checkpoint: `best_loss`, `is_best`, `patience`, `early_stop`. */
const STATE_NAME = /best|patience|early_?stop/i;

/**
 * The first thing in the file that stops training early or keeps the best model rather than the last:
 * an early-stopping callback or ReduceLROnPlateau, `ModelCheckpoint(save_best_only=True)` (Keras) or
 * `ModelCheckpoint(monitor=…)` (Lightning), `load_best_model_at_end=True`, `stop_training = True`, or
 * variables of a hand-written loop (`if val_loss < best_loss:`, `patience`, `early_stop`).
 */
export function earlyStoppingSignal(file: PythonFile): Node | undefined {
  if (file.memo.has('early-stopping')) return file.memo.get('early-stopping') as Node | undefined;
  const found = findSignal(file);
  file.memo.set('early-stopping', found);
  return found;
}

function findSignal(file: PythonFile): Node | undefined {
  for (const call of file.calls) {
    const tail = file.calleeTail(call) ?? '';
    if (STOPPERS.has(tail)) return call;
    if (tail === 'ModelCheckpoint') {
      const best = resolveValue(file, file.keywordArgument(call, 'save_best_only'))?.value;
      const lightning = /^(lightning|pytorch_lightning)\./.test(file.calleeName(call) ?? '');
      if (best === true || (lightning && file.keywordArgument(call, 'monitor'))) return call;
    }
    const loadBest = file.keywordArgument(call, 'load_best_model_at_end');
    if (loadBest && resolveValue(file, loadBest)?.value !== false) return loadBest;
  }
  for (const assignment of file.assignments) {
    const left = assignment.childForFieldName('left');
    if (left?.type === 'attribute' && left.childForFieldName('attribute')?.text === 'stop_training') return assignment;
  }
  if (!STATE_NAME.test(file.text)) return undefined;
  for (const id of file.nodesOfType('identifier')) {
    if (!STATE_NAME.test(id.text)) continue;
    // Keyword names (`save_best_only=False`, `metric_for_best_model=`) were judged above by their values.
    if (id.parent?.type === 'keyword_argument' && id.parent.childForFieldName('name')?.equals(id)) continue;
    return id;
  }
  return undefined;
}

/**
 * Whether a `callbacks=` argument is fully visible: a list (literal, or a name bound once to one) of
 * calls or names bound to calls. Callbacks built elsewhere may stop early; the rule then stays silent.
 */
export function callbacksVisible(file: PythonFile, node: Node | undefined): boolean {
  if (!node) return true;
  const list = node.type === 'identifier' ? bindingOf(file, node) : node;
  if (list?.type !== 'list') return false;
  return list.namedChildren.every((item) => {
    if (!item || item.type === 'comment') return true;
    const value = item.type === 'identifier' ? bindingOf(file, item) : item;
    return value?.type === 'call';
  });
}
