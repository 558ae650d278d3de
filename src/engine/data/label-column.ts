import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python/python-file';
import { targetNames } from './data-flow';

/** Calls whose second positional argument (or `y=`/`stratify=`) is the label vector. */
const TAKES_LABELS = new Set(['train_test_split', 'fit', 'TensorDataset', 'cross_val_score', 'cross_validate', 'StratifiedKFold']);

export interface LabelColumn {
  column: string | number;
  /** Where the script picks it, for the notes. */
  line: number;
}

/**
 * The label column of a DataFrame, when the script shows it: `df.pop("Exited")` or `df["target"]`
 * (with `.values`, `.to_numpy()`, `.astype(...)` after it) whose value reaches the labels argument of
 * `train_test_split`, `fit`, `TensorDataset` or `stratify=`, directly or through a variable. A column
 * read but never used as labels is not one; nothing is inferred from names like "label".
 */
export function findLabelColumn(file: PythonFile, frames: ReadonlySet<string>, noHeader: boolean): LabelColumn | undefined {
  const labelUses = labelArguments(file);
  // Directly: train_test_split(X, df["target"]).
  for (const arg of labelUses) {
    const column = columnOf(file, arg, frames, noHeader);
    if (column !== undefined) return { column, line: arg.startPosition.row + 1 };
  }
  const labelNames = new Set(labelUses.filter((a) => a.type === 'identifier').map((a) => a.text));
  for (const assignment of file.assignments) {
    const right = assignment.childForFieldName('right');
    const left = assignment.childForFieldName('left');
    if (!right || !left) continue;
    const targets = targetNames(left);
    if (!targets.some((t) => labelNames.has(t))) continue;
    const column = columnOf(file, right, frames, noHeader);
    if (column !== undefined) return { column, line: right.startPosition.row + 1 };
  }
  return undefined;
}

function labelArguments(file: PythonFile): Node[] {
  const found: Node[] = [];
  for (const call of file.calls) {
    const tail = file.calleeTail(call);
    const stratify = file.keywordArgument(call, 'stratify');
    if (stratify) found.push(stratify);
    if (!tail || !TAKES_LABELS.has(tail)) continue;
    const y = file.positionalArguments(call)[1] ?? file.keywordArgument(call, 'y');
    if (y) found.push(y);
  }
  return found;
}

/** `df["c"]`, `df.pop("c")`, `df.iloc[:, 13]` (header=None) with row-preserving suffixes. */
function columnOf(file: PythonFile, node: Node, frames: ReadonlySet<string>, noHeader: boolean, depth = 0): string | number | undefined {
  if (depth > 8) return undefined;
  if (node.type === 'attribute') {
    const object = node.childForFieldName('object');
    return object && ['values'].includes(node.childForFieldName('attribute')?.text ?? '') ? columnOf(file, object, frames, noHeader, depth + 1) : undefined;
  }
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    const tail = file.calleeTail(node);
    if (fn?.type !== 'attribute') return undefined;
    const object = fn.childForFieldName('object');
    if (!object) return undefined;
    if (tail === 'pop' && object.type === 'identifier' && frames.has(object.text)) return key(file, file.positionalArguments(node)[0], noHeader);
    if (tail === 'to_numpy' || tail === 'astype' || tail === 'ravel') return columnOf(file, object, frames, noHeader, depth + 1);
    return undefined;
  }
  if (node.type === 'subscript') {
    const value = node.childForFieldName('value');
    if (value?.type === 'identifier' && frames.has(value.text)) return key(file, node.childForFieldName('subscript'), noHeader);
  }
  return undefined;
}

function key(file: PythonFile, node: Node | null | undefined, noHeader: boolean): string | number | undefined {
  const value = node ? file.evaluate(node)?.value : undefined;
  if (typeof value === 'string' && !noHeader) return value;
  if (typeof value === 'number' && noHeader && Number.isInteger(value) && value >= 0) return value;
  return undefined;
}
